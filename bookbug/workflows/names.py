"""The events the book workflows listen for, shared with the service functions that send them."""

BOOK_CREATED = "book/create.started"  # data: book_id, user_id
CHAT_MESSAGE = "chat/message.sent"  # data: book_id, message_id, content, approve
BOOK_CANCEL = "book/cancel.requested"  # data: book_id
PAGE_REDO = "book/page.redo"  # data: book_id, user_id, page, redo, rewrite_text, note
EXPORT_REQUESTED = "account/export.requested"  # data: export_id (the rest is in its row)
ACCOUNT_DELETE = "account/delete.requested"  # data: deletion_id (the rest is in its row)

CREATE_BOOK = "create-book"  # workflow names
REDO_PAGE = "redo-page"
RECORD_FAILURE = "record-failure"
EXPORT_DATA = "export-data"
DELETE_ACCOUNT = "delete-account"

# chat phases, as stored on chat messages
PHASE_INTAKE = "story_intake"
PHASE_PLOT = "plot_review"
PHASE_DONE = "done"
PAGE_DECIDED = "book/page.decided"  # data: book_id, page, redo, keep ("new" | "old")
PAGE_EDIT = "book/page.edit"  # data: book_id, user_id, page, edit, text
EDIT_PAGE = "edit-page"  # workflow: a page's words changed by hand, then the book's files rebuilt
