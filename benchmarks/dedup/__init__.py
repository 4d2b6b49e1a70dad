"""MinHash signatures: the pipeline's batch path against datasketch used document by document."""
