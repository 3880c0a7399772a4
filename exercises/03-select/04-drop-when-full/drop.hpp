// Contract for exercise 03-select/04-drop-when-full (instructor-owned: do not edit).
#pragma once

#include <vector>

#include <goc/goc.hpp>

/// Offers each of `values`, in order, to `ch` without ever blocking: a value
/// is sent if the channel can take it right now (room in its buffer, or a
/// receiver already waiting), and dropped otherwise. Returns how many were
/// dropped. Safe to call from several goroutines on the same channel.
int send_or_drop(goc::SendChan<int> ch, const std::vector<int>& values);
