"""Pure readers of the shapes that postmortems written before pmctl take.

Headings-only Markdown, timelines as lists or tables, action items as bullets or tables,
"time to detection: 1 hour 20 minutes" durations, zone notes, foreign front matter mapped by
a mapping file. Nothing here does I/O; `services/importing.py` reads the files, and what
these modules recover is only what the document says: nothing is guessed or reordered.
"""
