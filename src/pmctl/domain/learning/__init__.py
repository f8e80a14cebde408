"""Learning from the whole library of postmortems: pure logic, no I/O.

Text normalisation for search (`text`), queries (`query`), snippets (`snippet`), related
postmortems (`related`), recurring causes (`recurring`), export rows (`export`), drills
(`drill`) and reading-club picks (`reading_club`). The services feed them documents and the
clock; the search index adapter stores what `text` prepares.
"""
