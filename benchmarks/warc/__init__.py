"""Reading WARC files: the pipeline's reader against the recovery reader alone, warcio and FastWARC."""
