"""A notice as a Word letter: page and styles, the draft watermark, Markdown → paragraphs."""
