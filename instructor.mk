# The instructor's targets: they need solutions/, tests/ or bench/, which the
# student release leaves out (with this file), so students' `make help`
# lists only what works for them.  Included by the Makefile when present.

DIR ?=
POINTS ?=
SHELL_SCRIPTS := checker/check checker/setup $(filter-out %/commands,$(wildcard checker/libexec/* checker/libexec/commands/*)) \
                 $(wildcard checker/lib/*.bash) $(wildcard tests/*.bats tests/*.bash) \
                 $(wildcard bench/*.sh tests/*.sh tests/fixtures/*/*.sh) .ci/run .ci/trixie \
                 platforms/student-release platforms/kit-files.bash platforms/classroom/make-template \
                 platforms/gradescope/build platforms/gradescope/setup.sh platforms/gradescope/run_autograder \
                 platforms/prairielearn/grade

.PHONY: solutions test test-trixie lint bench bench-class gradescope classroom student-release

solutions: setup ## grade the reference solutions
	@checker/check --solutions $(CHECK_FLAGS) $(EX)

test: ## run the test-suite (Bats) and the linter
	@checker/setup --tests
	@$(MAKE) --no-print-directory lint
	@tests/run.sh

test-trixie: ## the test-suite again in a Debian 13 root, and the same verdicts on both (root)
	@.ci/trixie

lint: ## shellcheck every script; build every C file with -Wall -Wextra -Werror
	shellcheck -x $(SHELL_SCRIPTS)
	@tests/lint-c.sh

bench: setup ## time the checker against the bare steps it needs, then a class (docs/benchmark.md)
	@bench/run.sh
	@bench/class.sh

bench-class: setup ## time 'checker/check class' on a generated class of 100 (docs/benchmark.md)
	@bench/class.sh

gradescope: ## build build/gradescope/autograder.zip (POINTS=file, EX="01 02")
	@platforms/gradescope/build "$(POINTS)" $(EX)

classroom: ## write a GitHub Classroom template repository to DIR (POINTS=file)
	@platforms/classroom/make-template "$(DIR)" $(POINTS)

student-release: ## write what students get (no solutions, no history) to DIR
	@platforms/student-release "$(DIR)"
