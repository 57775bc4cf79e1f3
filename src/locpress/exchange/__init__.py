"""Exchange with other tools: TMX and XLIFF 1.2 readers and writers."""
