# Two entry points (see README): `make demo` and `make test`. Each creates the
# virtual environment it needs, so a fresh machine needs only Python 3.11+,
# pip and make.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
OUT ?= feeds

.PHONY: demo test fuzz bench venv clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

venv: $(STAMP)

## The main job, offline: refresh the feeds from the bundled snapshot of the department page.
demo: $(STAMP)
	$(BIN)/spfeed refresh --source fixtures/ilo-legacy-department.en.html --out $(OUT)

## The house rules (ruff, mypy --strict: configured in pyproject.toml), then the whole test suite.
test: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/mypy --strict spfeed
	$(BIN)/python -m pytest

## Long fuzzing runs (docs/reliability.md): FUZZ_SECONDS per harness, the corpus kept in .fuzz-corpus/.
FUZZ_SECONDS ?= 600
fuzz: $(STAMP)
	mkdir -p .fuzz-corpus/parse .fuzz-corpus/dates .fuzz-corpus/fulltext .fuzz-corpus/config .fuzz-corpus/headers
	cp fixtures/*.html .fuzz-corpus/parse/  # not the folder: libFuzzer would read fixtures/corpus*/ too (held-out sets)
	$(BIN)/python fuzz/fuzz_parse.py -max_total_time=$(FUZZ_SECONDS) -max_len=8192 .fuzz-corpus/parse fuzz/crashes/parse
	$(BIN)/python fuzz/fuzz_dates.py -max_total_time=$(FUZZ_SECONDS) .fuzz-corpus/dates fuzz/crashes/dates fuzz/seeds/dates
	$(BIN)/python fuzz/fuzz_fulltext.py -max_total_time=$(FUZZ_SECONDS) -max_len=65536 .fuzz-corpus/fulltext fuzz/crashes/fulltext fixtures/articles
	$(BIN)/python fuzz/fuzz_config.py -max_total_time=$(FUZZ_SECONDS) .fuzz-corpus/config fuzz/crashes/config fuzz/seeds/config
	$(BIN)/python fuzz/fuzz_headers.py -max_total_time=$(FUZZ_SECONDS) .fuzz-corpus/headers fuzz/crashes/headers
	$(BIN)/python -m pytest tests/test_fuzz_properties.py --hypothesis-profile=long --hypothesis-show-statistics --timeout=0

## The benchmark suite (minutes; not part of the tests): see benchmarks/README.md.
bench: $(STAMP)
	$(BIN)/python benchmarks/run.py $(BENCH_ARGS)

clean:
	rm -rf $(VENV) build *.egg-info spfeed.egg-info .pytest_cache
