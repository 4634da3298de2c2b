# The race-and-deadlock kit.  `make help` lists the targets.

EX ?=
ARGS ?=
CHECK_FLAGS ?=

EXERCISES := $(patsubst exercises/%/exercise.json,%,$(wildcard exercises/*/exercise.json))
# The exercise `make run` and `make run-tsan` build: EX resolved like the checker does.
NAME = $(shell checker/libexec/resolve-exercise $(EX))
BUILD = build/$(NAME)
KIT_LDFLAGS := $(shell cat checker/harness/link-flags)
ERROR_FLAGS := $(shell cat checker/lib/error-flags)

.PHONY: help setup check run run-tsan clean

help: ## list the targets
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{ printf "  make %-16s %s\n", $$1, $$2 }'
	@echo "  (EX=lost-update picks one exercise; ARGS=\"--threads 8\" passes arguments to run)"

setup: ## install the tools the checker needs (apt-get)
	@checker/setup

check: setup ## grade your fixes (EX=name for one exercise)
	@checker/check $(CHECK_FLAGS) $(EX)

run: setup ## build your version of EX with gcc and run it (ARGS=...)
	@test -n "$(EX)" || { echo "Error: say which exercise: make run EX=lost-update" >&2; exit 2; }
	@test -n "$(NAME)" || exit 2
	@mkdir -p $(BUILD)
	gcc -g -O0 -Wall -Wextra $(ERROR_FLAGS) -pthread -Iexercises/$(NAME)/harness -Ichecker/harness \
	    $(addprefix exercises/$(NAME)/,$(shell jq -r '.student_files[]' exercises/$(NAME)/exercise.json)) \
	    exercises/$(NAME)/harness/*.c checker/harness/kit.c $(KIT_LDFLAGS) -o $(BUILD)/$(NAME)
	@rm -rf $(BUILD)/run && mkdir -p $(BUILD)/run
	cd $(BUILD)/run && ../$(NAME) $(ARGS)

run-tsan: setup ## the same under ThreadSanitizer, to read its raw report
	@test -n "$(EX)" || { echo "Error: say which exercise: make run-tsan EX=lost-update" >&2; exit 2; }
	@test -n "$(NAME)" || exit 2
	@mkdir -p $(BUILD)
	clang -fsanitize=thread -g -O1 -Wall -Wextra $(ERROR_FLAGS) -pthread -Iexercises/$(NAME)/harness -Ichecker/harness \
	    $(addprefix exercises/$(NAME)/,$(shell jq -r '.student_files[]' exercises/$(NAME)/exercise.json)) \
	    exercises/$(NAME)/harness/*.c checker/harness/kit.c $(KIT_LDFLAGS) -o $(BUILD)/$(NAME)-tsan
	@rm -rf $(BUILD)/run && mkdir -p $(BUILD)/run
	cd $(BUILD)/run && ../$(NAME)-tsan $(ARGS)

clean: ## remove what make run built
	rm -rf build

# The instructor's targets (solutions, test, lint, bench, gradescope, classroom,
# student-release); the student release has no instructor.mk.
-include instructor.mk
