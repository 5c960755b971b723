.PHONY: setup
setup:
	@scripts/setup.sh
