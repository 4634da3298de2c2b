# deadlock.gdb - read the harness runtime's lock bookkeeping (kit.c) from a
# deadlocked program, after the runner has printed every thread's stack.
# Prints lines the checker parses (collect.bash):
#   KIT-WAITS <tid> <what> <site> <kind> <also>
#                                       what a thread waits for (0x0: nothing);
#                                       kind (kit.c enum kit_wait): 1 a mutex,
#                                       2 a condition variable (also: its
#                                       mutex), 3 a semaphore, 4 a join (what:
#                                       the pthread_t joined, as gdb's thread
#                                       list shows it), 5/6 a rwlock read/write,
#                                       7 a barrier
#   KIT-HOLDS <tid> <mutex> <site>      a mutex it holds, and where it took it
#   KIT-LABEL <start> <size> <name>     a name the harness gave an object
#   KIT-SYMBOL <address> <gdb's "info symbol" for it>
#   KIT-ANCHOR <address>                where kit_label is loaded, so that
#                                       addr2line can place the sites
set pagination off
printf "KIT-ANCHOR %p\n", kit_label
set $slots = sizeof(kit_lock_table) / sizeof(kit_lock_table[0])
set $per_thread = sizeof(kit_lock_table[0].held) / sizeof(kit_lock_table[0].held[0])
set $i = 0
while $i < $slots
  if kit_lock_table[$i].tid != 0
    printf "KIT-WAITS %ld %p %p %d %#lx\n", kit_lock_table[$i].tid, kit_lock_table[$i].waiting_for, kit_lock_table[$i].waiting_site, (int) kit_lock_table[$i].waiting_kind, (long) kit_lock_table[$i].waiting_also
    if kit_lock_table[$i].waiting_for != 0
      printf "KIT-SYMBOL %p ", kit_lock_table[$i].waiting_for
      eval "info symbol %p", kit_lock_table[$i].waiting_for
    end
    if (int) kit_lock_table[$i].waiting_kind == 2 && (long) kit_lock_table[$i].waiting_also != 0
      printf "KIT-SYMBOL %#lx ", kit_lock_table[$i].waiting_also
      eval "info symbol %#lx", kit_lock_table[$i].waiting_also
    end
    set $j = 0
    while $j < $per_thread
      if kit_lock_table[$i].held[$j] != 0
        printf "KIT-HOLDS %ld %p %p\n", kit_lock_table[$i].tid, kit_lock_table[$i].held[$j], kit_lock_table[$i].held_site[$j]
        printf "KIT-SYMBOL %p ", kit_lock_table[$i].held[$j]
        eval "info symbol %p", kit_lock_table[$i].held[$j]
      end
      set $j = $j + 1
    end
  end
  set $i = $i + 1
end
set $k = 0
while $k < kit_label_count && $k < sizeof(kit_labels) / sizeof(kit_labels[0])
  printf "KIT-LABEL %p %lu %s\n", kit_labels[$k].start, kit_labels[$k].size, kit_labels[$k].name
  set $k = $k + 1
end
