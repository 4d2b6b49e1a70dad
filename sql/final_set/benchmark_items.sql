-- The published benchmark items, as the in-memory contamination index is built from them.
SELECT benchmark, item_id, source_file, field_names, field_texts FROM main.eval_benchmark_items
ORDER BY benchmark, item_id;
