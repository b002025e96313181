# invsync_sanitizers: -fsanitize flags chosen by INVSYNC_SANITIZE ("", "address,undefined", "thread").
set(INVSYNC_SANITIZE "" CACHE STRING "Sanitizers for our targets: address,undefined | thread | empty")
add_library(invsync_sanitizers INTERFACE)
add_library(invsync::sanitizers ALIAS invsync_sanitizers)
if(INVSYNC_SANITIZE)
  if(INVSYNC_SANITIZE MATCHES "thread" AND INVSYNC_SANITIZE MATCHES "address")
    message(FATAL_ERROR "ThreadSanitizer cannot be combined with AddressSanitizer")
  endif()
  # Applied globally so that every object (ours and the test executables) agrees on the runtime.
  add_compile_options(-fsanitize=${INVSYNC_SANITIZE} -fno-omit-frame-pointer -fno-sanitize-recover=all)
  add_link_options(-fsanitize=${INVSYNC_SANITIZE})
endif()
