// Exists so the precompiled <goc/goc.hpp> of the student files has a target
// to live in (see GocExercises.cmake).
