// Contract for exercise 04-sync/02-word-count (instructor-owned: do not edit).
#pragma once

#include <map>
#include <string>
#include <vector>

/// Counts how often each word occurs in `texts`. Words are separated by
/// whitespace (as `std::istringstream >> word` splits them) and compared
/// exactly. One goroutine per text adds that text's words to a single shared
/// map protected by a goc::Mutex; the map is returned once every goroutine
/// has finished. No goroutine is left running.
std::map<std::string, int> count_words(const std::vector<std::string>& texts);
