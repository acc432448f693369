# A progress.db that is not a database: the app must say so, keep the file (renamed,
# byte for byte) only when the learner agrees, and start fresh.
file(REMOVE_RECURSE "${WORK}")
file(MAKE_DIRECTORY "${WORK}/data")
set(garbage "this is not an SQLite database, it is what a crash or a bad disk might leave\n")
file(WRITE "${WORK}/data/progress.db" "${garbage}")
# Without the learner's agreement nothing is moved (check doesn't touch the store; a
# screenshot of the database screen opens it read-only).
execute_process(COMMAND "${EXE}" --content-root "${ROOT}" --data-dir "${WORK}/data" screenshot --screen home --out "${WORK}/before.png"
                RESULT_VARIABLE rc)
file(READ "${WORK}/data/progress.db" still)
if(NOT still STREQUAL garbage)
    message(FATAL_ERROR "the damaged file was changed before the learner agreed")
endif()
execute_process(COMMAND "${EXE}" --content-root "${ROOT}" --data-dir "${WORK}/data" play "${SCRIPT}"
                WORKING_DIRECTORY "${WORK}" RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
    message(FATAL_ERROR "coderprep play failed (${rc})")
endif()
file(GLOB kept "${WORK}/data/progress.db.broken-*")
list(LENGTH kept n)
if(NOT n EQUAL 1)
    message(FATAL_ERROR "expected one progress.db.broken-* file, found ${n}")
endif()
file(READ "${kept}" moved)
if(NOT moved STREQUAL garbage)
    message(FATAL_ERROR "the kept file is not byte for byte the damaged one")
endif()
message(STATUS "damaged file kept as ${kept}; a fresh progress.db was started")
