# Every screen renders in every theme with the software renderer and no display,
# through the same drawing code the window uses.
file(REMOVE_RECURSE "${WORK}")
file(MAKE_DIRECTORY "${WORK}")
set(count 0)
foreach(theme light dark contrast)
    foreach(screen profiles home learn lesson quiz settings problems database codebook)
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
message(STATUS "${count} screenshots rendered in ${WORK}")
