# The two commands a new user needs: `make run` (materialize one crawl date) and `make test`.
SHELL := /bin/bash
export UV_PYTHON_DOWNLOADS := never
export CORPUS_CONFIG ?= $(CURDIR)/corpus.yaml
UV := $(shell command -v uv 2>/dev/null || echo "python3 -m uv")
PORT ?= 3000
# DATE, RECRAWL and PORT reach the recipes through the environment and are quoted there: a value is never shell code.
export DATE RECRAWL PORT
# BENCH_ARGS: extra arguments of `make benchmark-pipeline`, e.g. BENCH_ARGS="--fractions 0.25 --pages-limit 2000".
export BENCH_ARGS

.PHONY: setup browser postgresql run release ui test benchmark-extraction benchmark-crawl benchmark-dedup benchmark-decontamination benchmark-warc benchmark-safety benchmark-pii benchmark-quality benchmark-pipeline readme-figures clean

setup:  ## install the locked environment (.venv) with uv
	@command -v uv >/dev/null 2>&1 || python3 -m uv --version >/dev/null 2>&1 || python3 -m pip install --quiet "uv==0.13.8"
	$(UV) sync --frozen --python python3

run: setup  ## materialize every stage for DATE (default: yesterday, UTC) and print its funnel; RECRAWL=1 crawls it afresh
	$(UV) run --frozen python -m corpus_assets.cli run $${DATE:+--date "$$DATE"} $${RECRAWL:+--recrawl}

release: setup  ## write the published corpus (release.first_date..last_date, default all) as a versioned dataset with its card
	$(UV) run --frozen python -m corpus_assets.cli release

ui: setup  ## the Dagster UI (lineage, checks, schedule, backfills) on http://127.0.0.1:$(PORT) (PORT=3001 for another)
	$(UV) run --frozen python -m corpus_assets.cli ui --port "$$PORT"

browser:  ## Debian's Chromium for the UI tests (Playwright drives it; it downloads no browser)
	@command -v chromium >/dev/null 2>&1 || { \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -q && $$SUDO apt-get install -y -q --no-install-recommends chromium; }

postgresql:  ## Debian's PostgreSQL server for the DuckLake tests (each test starts its own cluster on 127.0.0.1)
	@ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || { \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -q && $$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends postgresql; }

# Three workers on two cores: the end-to-end tests spend most of their time waiting for Dagster's daemons (the
# backfill daemon looks every 30 s), and a third worker runs other tests meanwhile (916 -> 811 s on this machine).
test: setup browser postgresql  ## the whole test suite
	$(UV) run --frozen pytest -n 3 --dist loadfile -q

benchmark-extraction: setup  ## every extractor over the AEB pages in ../shared: F1, P, R, pages/s, peak memory
	$(UV) run --frozen python -m benchmarks.extraction

benchmark-crawl: setup  ## crawl Debian's PostgreSQL docs on loopback, politeness off, beside wget
	$(UV) run --frozen python -m benchmarks.crawl

benchmark-dedup: setup  ## MinHash signatures of the AEB texts against datasketch; verification's cost on two PostgreSQL doc versions
	$(UV) run --frozen python -m benchmarks.dedup
	$(UV) run --frozen python -m benchmarks.dedup.verification

benchmark-decontamination: setup  ## index every evaluation set in ../shared/data and match the AEB texts against it
	$(UV) run --frozen python -m benchmarks.decontamination

benchmark-warc: setup  ## read the same WARC files with the pipeline's reader, the recovery reader, warcio and FastWARC
	$(UV) run --frozen python -m benchmarks.warc

benchmark-safety: setup  ## the obscenity rule's false drops on the AEB news in ../shared and its hand-written controls; blocklist speed
	$(UV) run --frozen python -m benchmarks.safety
benchmark-quality: setup  ## the quality filters beside datatrove's, filter by filter, on a test set rebuilt from ../shared and Debian's docs
	$(UV) run --frozen python -m benchmarks.quality

benchmark-pii: setup  ## PII planted in the AEB texts of ../shared: precision, recall per type, near misses kept, pages/s
	$(UV) run --frozen python -m benchmarks.pii

benchmark-pipeline: setup  ## the whole chain on 1/4, 1/2, all of a 30,000-page WARC corpus (cached in ~/.cache) beside datatrove; BENCH_ARGS
	$(UV) run --frozen python -m benchmarks.pipeline $${BENCH_ARGS}

readme-figures: setup  ## run the README's offline example for real (PostgreSQL docs on loopback) and write its funnel
	$(UV) run --frozen python -m benchmarks.offline_run

clean:  ## remove the local warehouse, archives and Dagster run history (all under data/)
	rm -rf data
