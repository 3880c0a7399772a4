// Anchor of the students' precompiled <goc/goc.hpp> (fixture_student_pch).
