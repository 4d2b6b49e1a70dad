"""`make benchmark-pipeline`: the whole chain over a 30,000-page WARC corpus beside datatrove (see __main__)."""
