# The race-and-deadlock kit.  `make help` lists the targets.

EX ?=
ARGS ?=
CHECK_FLAGS ?=

EXERCISES := $(patsubst exercises/%/exercise.json,%,$(wildcard exercises/*/exercise.json))

.PHONY: help setup check run run-tsan watch progress clean

help: ## list the targets
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{ printf "  make %-16s %s\n", $$1, $$2 }'
	@echo "  (EX=lost-update picks one exercise; ARGS=\"--threads 8\" passes arguments to run)"

setup: ## install the tools the checker needs (apt-get)
	@checker/setup

check: setup ## grade your fixes (EX=name for one exercise)
	@checker/check $(CHECK_FLAGS) $(EX)

run: setup ## build your version of EX with gcc and run it (ARGS=...)
	@checker/libexec/run-exercise plain "$(EX)" $(ARGS)

run-tsan: setup ## the same under ThreadSanitizer, to read its raw report
	@checker/libexec/run-exercise tsan "$(EX)" $(ARGS)

watch: setup ## grade the current exercise (or EX) again on each save; q quits
	@checker/check watch $(EX)

progress: ## every exercise with its state, and which one is next
	@checker/check list

clean: ## remove what make run built
	rm -rf build

# The instructor's targets (solutions, test, lint, bench, gradescope, classroom,
# student-release); the student release has no instructor.mk.
-include instructor.mk
