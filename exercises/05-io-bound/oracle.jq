# oracle.jq - judges one run of 05-io-bound.
# Input: {"params": {"sites", "pool", "fetch_ms", "check_time"}, "result": {...},
#         "files", "exit_code"}; result holds what the harness measured
# (harness/main.c, report()), elapsed_ms with CLOCK_MONOTONIC.
# Output: one sentence per problem; nothing when the run is right.
# What is right comes from the parameters: page_sizes[site] holds
# 1000 + site * 7919 mod 9000 for every site, each site is downloaded once,
# no more than pool downloads are in progress at once, on no more than pool
# threads, and the downloads take about as long as a full pool needs.
#
# Overlap.  A pool of P threads downloads N sites in ceil(N / P) rounds;
# doing it in that many rounds needs ceil(N / ceil(N / P)) downloads in
# progress at once ("a full pool's worth": 12 for 24 sites and a pool of
# 12, 10 for 20 sites and a pool of 16).  The harness counts the downloads
# in progress itself, so this judgement does not depend on the machine's
# load or on how long ThreadSanitizer takes to write a report (which made a
# time-only judgement flicker on racy fixes).  A pool of 1, or a single
# site, has nothing to overlap.
#
# Time, as a generous bound only: twice a full pool's time plus 500 ms
# (ceil(N / P) x D ms each round).  It catches a schedule that fills the
# pool once and then goes on one download at a time.  Under Valgrind
# threads take turns: those runs set check_time to 0, and neither overlap
# nor time is judged there.

def slack_ms: 500;

def page_size($site): 1000 + ($site * 7919) % 9000;

# The harness's checksum of the page sizes: the sum of (site + 1) x size.
def checksum($sites): [range(0; $sites) | (. + 1) * page_size(.)] | add // 0;

# "3:-1 5:1234" as reported; a single number arrives as a number.
def examples: tostring | split(" ") | map(select(length > 0));
def more($count; $shown): if $count > $shown then ", ..." else "" end;

def wrong_page_text:
  map(split(":") | (.[0] | tonumber) as $site
      | if .[1] == "-1" then "page_sizes[\($site)] was never stored"
        else "page_sizes[\($site)] is \(.[1]), expected \(page_size($site))" end)
  | join(", ");

def ms: . * 10 | round / 10;

(.params.sites | tonumber) as $sites
| (.params.pool | tonumber) as $pool
| (.params.fetch_ms | tonumber) as $fetch
| ((.params.check_time // 1) | tonumber) as $check_time
| ((($sites + $pool - 1) / $pool) | floor) as $rounds
| ($rounds * $fetch) as $ideal
| (2 * $ideal + slack_ms) as $bound
| ((($sites + $rounds - 1) / $rounds) | floor) as $full_pool
| .result as $r
| ["pages_right", "pages_checksum", "downloads", "sites_downloaded_again", "max_fetching",
   "downloading_threads", "fetching_at_return", "bad_site_calls", "elapsed_ms"] as $keys
| ($keys | map(select(. as $k | $r[$k] | type != "number"))) as $missing
| if ($missing | length) > 0 then
    "the program reported no \($missing | join(", ")) (the harness reports them when download_all_sites() returns)"
  else
    ($sites - $r.pages_right) as $wrong
    | (if $wrong > 0 then
         ($r.wrong_page_examples | examples) as $shown
         | "\($wrong) of \($sites) page sizes are wrong or missing (\($shown | wrong_page_text)\(more($wrong; $shown | length))): page_sizes[site] must hold site's own page size, whichever thread finishes first"
       elif $r.pages_checksum != checksum($sites) then
         "the page sizes add up to the checksum \($r.pages_checksum), expected \(checksum($sites))"
       else empty end),
      (if $r.sites_downloaded_again > 0 then
         "\($r.sites_downloaded_again) site(s) were downloaded more than once (\($r.downloads) downloads for \($sites) sites): two threads took the same site"
       else empty end),
      (if $r.bad_site_calls > 0 then
         "download_site() was called \($r.bad_site_calls) time(s) with a site that does not exist (sites are 0 to \($sites - 1))"
       else empty end),
      (if $r.max_fetching > $pool then
         "\($r.max_fetching) downloads were in progress at the same time with a pool of \($pool): never more than the pool's size may download at once"
       else empty end),
      (if $r.downloading_threads > $pool then
         "\($r.downloading_threads) threads downloaded with a pool of \($pool): start at most \($pool) threads and let each one download several sites"
       else empty end),
      (if $r.fetching_at_return > 0 then
         "\($r.fetching_at_return) download(s) were still in progress when download_all_sites() returned: join every thread before returning"
       else empty end),
      (if $check_time == 1 and $r.max_fetching < $full_pool then
         "at most \($r.max_fetching) download(s) were in progress at once: a pool of \($pool) fetches \($sites) sites in \($rounds) round(s) (about \($ideal) ms) only with \($full_pool) downloads in progress at once"
         + (if $r.max_fetching <= 1 then
             "; no two waits overlapped: let several threads download at once, with no lock held while downloading"
           else
             "; start pool_size threads (or as many as the sites need), all before waiting for any of them"
           end)
       elif $check_time == 1 and $r.elapsed_ms > $bound then
         "the downloads took \($r.elapsed_ms | ms) ms, more than the \($bound) ms allowed: a pool of \($pool) threads needs about \($ideal) ms for \($sites) sites of \($fetch) ms (\($rounds) rounds), one download after another \($sites * $fetch) ms"
       else empty end)
  end
