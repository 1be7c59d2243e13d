# Fuzzing entry points (everything else: ./scripts/test.sh). TARGETS picks targets, e.g.
#   make fuzz FUZZ_SECONDS=3600 TARGETS="verify_ec jwk"
FUZZ_SECONDS ?= 1800
TARGETS ?=

.PHONY: fuzz fuzz-brief

# Each target for FUZZ_SECONDS (default 30 min), niced for shared machines, recorded in fuzz/HOURS.md.
fuzz:
	nice -n 19 bash scripts/fuzz.sh $(FUZZ_SECONDS) $(TARGETS)

# Each target for 10 s, not recorded: the same check scripts/test.sh runs.
fuzz-brief:
	bash scripts/fuzz.sh --no-record 10 $(TARGETS)
