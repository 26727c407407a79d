"""Text layer: normalisers with offset maps, tokenizer, sentence splitter."""
