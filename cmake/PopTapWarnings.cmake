# Warnings for every PopTap target; -Werror only when POPTAP_WERROR is set (CI).
function(poptap_target_warnings target)
    target_compile_options(${target} PRIVATE -Wall -Wextra -Wshadow -Wnon-virtual-dtor -Wpedantic)
    if(POPTAP_WERROR)
        target_compile_options(${target} PRIVATE -Werror)
    endif()
endfunction()
