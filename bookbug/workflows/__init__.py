"""The book workflows, written on the engine.

Importing this package loads nothing; `bookbug.workflows.registered` imports (and so registers)
every workflow, for the processes that run them. The services import only `names`.
"""
