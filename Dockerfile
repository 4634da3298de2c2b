# The kit in a container: Debian 12 with every package the kit's setup
# installs (checker/lib/requirements.txt, through checker/setup), for
# grading platforms (GitHub Actions `container:`, PrairieLearn's external
# grader: platforms/prairielearn/grade) and for students on macOS and
# Windows (.devcontainer/).  No solutions go in (.dockerignore).
FROM debian:12

ENV DEBIAN_FRONTEND=noninteractive LANG=C.UTF-8
COPY checker/ /opt/race-kit/checker/
RUN apt-get -q update \
 && /opt/race-kit/checker/setup \
 && rm -rf /var/lib/apt/lists/*
COPY . /opt/race-kit/
WORKDIR /opt/race-kit
# Where the checker keeps its compiled runner and TSan canary, for every user.
ENV RACE_KIT_CACHE=/opt/race-kit-cache
CMD ["bash"]
