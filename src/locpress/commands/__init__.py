"""Commands that drive the runner through its public API: pretranslate, exchange (align,
tm, xliff), accept, import, preview, init."""
