# Every screen renders in every theme with the software renderer and no display,
# through the same drawing code the window uses.
file(REMOVE_RECURSE "${WORK}")
file(MAKE_DIRECTORY "${WORK}")
set(count 0)
foreach(theme light dark contrast)
    foreach(screen profiles home learn lesson quiz settings problems database codebook cases)
        set(out "${WORK}/${screen}-${theme}.png")
        execute_process(COMMAND "${EXE}" --content-root "${ROOT}" --data-dir "${WORK}/data"
                                screenshot --screen ${screen} --theme ${theme} --size 1024x700 --out "${out}"
                        RESULT_VARIABLE rc ERROR_VARIABLE err)
        if(NOT rc EQUAL 0 OR NOT EXISTS "${out}")
            message(FATAL_ERROR "screenshot of ${screen} in ${theme} failed (${rc}): ${err}")
        endif()
        file(SIZE "${out}" size)
        if(size LESS 4000)
            message(FATAL_ERROR "screenshot of ${screen} in ${theme} is suspiciously small (${size} bytes)")
        endif()
        math(EXPR count "${count} + 1")
    endforeach()
endforeach()
# A practice case being coded and its feedback, on the first shipped template.
execute_process(COMMAND "${EXE}" --content-root "${ROOT}" case --list --json OUTPUT_VARIABLE list RESULT_VARIABLE rc)
string(REGEX MATCH "\"id\":\"([^\"]+)\"" found "${list}")
if(NOT rc EQUAL 0 OR NOT found)
    message(FATAL_ERROR "coderprep case --list found no template: ${list}")
endif()
foreach(theme light dark contrast)
    foreach(reveal "" --reveal)
        set(out "${WORK}/case${reveal}-${theme}.png")
        execute_process(COMMAND "${EXE}" --content-root "${ROOT}" --data-dir "${WORK}/data"
                                screenshot --screen cases --arg "${CMAKE_MATCH_1}:7" ${reveal} --theme ${theme} --size 1024x700
                                --out "${out}"
                        RESULT_VARIABLE rc ERROR_VARIABLE err)
        if(NOT rc EQUAL 0 OR NOT EXISTS "${out}")
            message(FATAL_ERROR "screenshot of case ${CMAKE_MATCH_1} ${reveal} in ${theme} failed (${rc}): ${err}")
        endif()
        math(EXPR count "${count} + 1")
    endforeach()
endforeach()
message(STATUS "${count} screenshots rendered in ${WORK}")
