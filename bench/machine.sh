#!/bin/sh
# Prints one line that tells machines apart, for the head of a benchmark's
# output: the processor's name, family and model (a virtual machine's name,
# "AMD EPYC", does not tell generations apart, and their atomics and caches
# differ), how many cores this process may use of all, and core 0's caches.
#   bench/machine.sh   e.g. "AMD EPYC (family 26, model 2), cores: 2 of 2, L1d 48K, L2 1024K, L3 32768K"
field() { sed -n "s/^$1[[:space:]]*: *//p" /proc/cpuinfo | head -1; }
caches=""
for dir in /sys/devices/system/cpu/cpu0/cache/index*; do
  [ -r "$dir/size" ] || continue
  case "$(cat "$dir/type")" in Instruction) continue ;; Data) kind=d ;; *) kind= ;; esac
  caches="$caches, L$(cat "$dir/level")$kind $(cat "$dir/size")"
done
echo "$(field 'model name') (family $(field 'cpu family'), model $(field model)), cores: $(nproc) of $(nproc --all)$caches"
