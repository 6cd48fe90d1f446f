"""`bookbug`: the thin command-line client. It talks only to the REST API, never to the
database or the engine, so it works against any Bookbug server."""
