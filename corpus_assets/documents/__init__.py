"""First-party and licensed documents: files of already-extracted texts (a team's support transcripts, a licensed
news archive) that join the chain at `deduped_text`, each source stating its licence and origin.

Plain Python, no Dagster; `licensed_documents` is a thin asset over `read.iter_document_batches`.
"""
