"""French as a reader writes it: case and accent folding, elision, plurals (``french``)."""
