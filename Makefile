# Atelier — two commands: `make run` (demo workshop on SQLite) and `make test` (everything).
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# Debian packages the project uses; installed only when running as root and missing.
DEBS_RUN := python3-venv fonts-dejavu-core libusb-1.0-0
# Building the bench image (and booting it in QEMU in the tests).
DEBS_IMAGE := mmdebstrap squashfs-tools xorriso grub-pc-bin grub-efi-amd64-bin grub-common mtools ipxe \
	dosfstools qemu-system-x86 ipxe-qemu ovmf iproute2
DEBS_TEST := $(DEBS_RUN) libzbar0 chromium poppler-utils libnss3-tools fio nwipe smartmontools hdparm nvme-cli \
	lshw dmidecode udev fuse3 util-linux pciutils hwinfo inxi $(DEBS_IMAGE)
PORT ?= 5000

.PHONY: run test setup setup-test debs-run debs-test debs-image bench-image translations lint typecheck \
	pytest demo clean wheels

run: setup translations
	$(BIN)/workshop db upgrade
	$(BIN)/workshop demo --if-empty
	$(BIN)/workshop serve --host 127.0.0.1 --port $(PORT)

test: setup-test translations lint typecheck pytest

debs-run:
	@scripts/install-debs.sh $(DEBS_RUN)

debs-test:
	@scripts/install-debs.sh $(DEBS_TEST)

debs-image:
	@scripts/install-debs.sh $(DEBS_IMAGE)

# build/atelier-bench.iso: see docs/bench-image.md (BENCH_URL=..., BENCH_SECRET=... bake the
# workshop's address and site secret into the boot menu). The Debian base is cached.
bench-image: setup | debs-image
	PYTHON=$(abspath $(BIN)/python) BENCH_NETBOOT_DIR=build/netboot \
		packaging/bench-image/build-image.sh build/atelier-bench.iso

$(VENV)/.installed: pyproject.toml | debs-run
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e . --config-settings editable_mode=compat
	touch $@

$(VENV)/.installed-test: pyproject.toml $(VENV)/.installed | debs-test
	$(BIN)/pip install -q -e '.[test]' --config-settings editable_mode=compat
	touch $@

setup: $(VENV)/.installed

setup-test: $(VENV)/.installed-test

translations: setup
	$(BIN)/pybabel -q compile -d workshop/translations

PY_PATHS := workshop agents labels atelier_protocol tests benchmarks scripts

lint:
	$(BIN)/ruff check $(PY_PATHS)
	$(BIN)/ruff format --check $(PY_PATHS)

typecheck:
	$(BIN)/mypy workshop/services agents labels atelier_protocol

pytest:
	$(BIN)/pytest -q

# The four distributions' wheels (protocol, bench, labels, workshop), built offline into dist/.
wheels: setup-test
	$(BIN)/python scripts/build_wheels.py --out dist

clean:
	rm -rf $(VENV) instance .pytest_cache .mypy_cache .ruff_cache test-artifacts
