"""Reading: the candidate sentences of the retrieved chunks (candidates), the reader model's
verdict on them (read) and the offline answer that quotes them (extractive)."""
