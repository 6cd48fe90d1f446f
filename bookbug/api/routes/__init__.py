"""One router per concern: books, chat, jobs (with the live stream), files, auth."""
