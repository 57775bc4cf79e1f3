"""The pure stages: extract (Document -> template), build (Document + catalog -> bytes), align,
resegment, and the status rows and report they produce. No file is read or written here."""
