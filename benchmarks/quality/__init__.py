"""`make benchmark-quality`: the quality filters beside datatrove's on a rebuilt test set."""
