"""Other ways to show what was found: the terminal preview (``preview``, over the readable blocks of
``textview``) and JSON Lines records (``jsonl``)."""
