"""Norwegian language processing on spacy.blank("nb") with our own components."""
