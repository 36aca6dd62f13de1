// Kecleon's LLVM guard (libkecleon_llvm_guard.so, src/Native/LlvmGuard.cs): no LLVM error may end the process.
//
// LLVM ends the process in two ways a C API caller cannot otherwise stop:
//   - report_fatal_error() calls the installed fatal-error handler and then exit()s or abort()s. Our handler
//     siglongjmp()s back to the guarded call that is running on this thread, so the exit is never reached.
//   - a diagnostic of error severity (the BPF back end's "unsupported ...", a linking conflict, an inline asm that does
//     not assemble) exit(1)s when the context has no diagnostic handler. Every guarded call installs one that records
//     the errors; the call then fails with them.
// The jump must not cross managed frames (undefined in .NET): each guarded entry point does the sigsetjmp and calls LLVM
// itself, so only LLVM's C++ frames lie between them. Those frames' destructors do not run: whatever LLVM was doing is
// left half done, so after a fatal error the caller must never touch that context, module or target machine again
// (it leaks them on purpose).
//
// LLVM's functions are looked up in the library the managed resolver loaded (kecleon_llvm_guard_init), so the guard
// follows KECLEON_LIBLLVM and needs no LLVM headers or import library to build: the few prototypes are declared here.
#define _GNU_SOURCE
#include <dlfcn.h>
#include <setjmp.h>
#include <stdio.h>
#include <string.h>

typedef void *ctx_t, *module_t, *buffer_t, *machine_t, *options_t, *error_t, *diag_t;

enum { GUARD_OK = 0, GUARD_FAILED = 1, GUARD_FATAL = 2, GUARD_DIAGNOSED = 3, GUARD_NOT_INSTALLED = 4 };
enum { SEVERITY_ERROR = 0 };

static void (*install_fatal_error_handler)(void (*)(const char *));
static void (*context_set_diagnostic_handler)(ctx_t, void (*)(diag_t, void *), void *);
static char *(*get_diag_info_description)(diag_t);
static int (*get_diag_info_severity)(diag_t);
static void (*dispose_message)(char *);
static ctx_t (*get_module_context)(module_t);
static int (*parse_ir_in_context)(ctx_t, buffer_t, module_t *, char **);
static error_t (*run_passes)(module_t, const char *, machine_t, options_t);
static int (*verify_module)(module_t, int, char **);
static int (*emit_to_memory_buffer)(machine_t, module_t, int, char **, buffer_t *);
static int (*link_modules2)(module_t, module_t);

// One guarded call at a time per thread; each thread has its own jump target and reason.
static __thread sigjmp_buf *jump_target;
static __thread char reason[4096];
static __thread size_t reason_length;
static __thread int diagnosed_errors;

static void append_reason(const char *text)
{
	size_t room = sizeof(reason) - 1 - reason_length;
	size_t length = strlen(text);
	if (reason_length > 0 && room > 2) {
		memcpy(reason + reason_length, "; ", 2);
		reason_length += 2;
		room -= 2;
	}
	if (length > room)
		length = room;
	memcpy(reason + reason_length, text, length);
	reason_length += length;
	reason[reason_length] = '\0';
}

static void on_fatal_error(const char *text)
{
	if (jump_target == NULL) {
		// Not inside a guarded call: LLVM exits after this returns, as it would without us.
		fprintf(stderr, "LLVM ERROR: %s\n", text);
		return;
	}
	reason_length = 0;
	append_reason(text);
	sigjmp_buf *target = jump_target;
	jump_target = NULL;
	siglongjmp(*target, 1);
}

static void on_diagnostic(diag_t info, void *unused)
{
	(void)unused;
	if (get_diag_info_severity(info) != SEVERITY_ERROR)
		return; // warnings, remarks and notes: LLVM would only have printed them
	char *text = get_diag_info_description(info);
	if (jump_target == NULL) {
		fprintf(stderr, "LLVM error: %s\n", text);
	} else {
		diagnosed_errors++;
		append_reason(text);
	}
	dispose_message(text);
}

#define LOOK_UP(field, name) \
	do { \
		*(void **)&field = dlsym(llvm, name); \
		if (field == NULL) \
			return name; \
	} while (0)

// Binds the guard to the LLVM library the resolver loaded and installs the fatal-error handler. Returns NULL, or the
// name of a function the library lacks.
const char *kecleon_llvm_guard_init(void *llvm)
{
	LOOK_UP(install_fatal_error_handler, "LLVMInstallFatalErrorHandler");
	LOOK_UP(context_set_diagnostic_handler, "LLVMContextSetDiagnosticHandler");
	LOOK_UP(get_diag_info_description, "LLVMGetDiagInfoDescription");
	LOOK_UP(get_diag_info_severity, "LLVMGetDiagInfoSeverity");
	LOOK_UP(dispose_message, "LLVMDisposeMessage");
	LOOK_UP(get_module_context, "LLVMGetModuleContext");
	LOOK_UP(parse_ir_in_context, "LLVMParseIRInContext");
	LOOK_UP(run_passes, "LLVMRunPasses");
	LOOK_UP(verify_module, "LLVMVerifyModule");
	LOOK_UP(emit_to_memory_buffer, "LLVMTargetMachineEmitToMemoryBuffer");
	LOOK_UP(link_modules2, "LLVMLinkModules2");
	install_fatal_error_handler(on_fatal_error);
	return NULL;
}

// Why the last guarded call on this thread failed with GUARD_FATAL or GUARD_DIAGNOSED.
const char *kecleon_llvm_guard_reason(void)
{
	return reason;
}

// GUARDED(context, call): runs call with the jump target set and the context's errors recorded; evaluates to one of
// the GUARD_ codes (GUARD_FAILED when call itself returned nonzero).
#define GUARDED(context, call) \
	({ \
		int status_; \
		sigjmp_buf target_; \
		if (install_fatal_error_handler == NULL) { \
			status_ = GUARD_NOT_INSTALLED; \
		} else { \
			reason_length = 0; \
			reason[0] = '\0'; \
			diagnosed_errors = 0; \
			context_set_diagnostic_handler((context), on_diagnostic, NULL); \
			if (sigsetjmp(target_, 1) != 0) { \
				status_ = GUARD_FATAL; \
			} else { \
				jump_target = &target_; \
				int failed_ = (call) != 0; \
				jump_target = NULL; \
				status_ = diagnosed_errors > 0 ? GUARD_DIAGNOSED : failed_ ? GUARD_FAILED : GUARD_OK; \
			} \
		} \
		status_; \
	})

int kecleon_llvm_parse_ir(ctx_t context, buffer_t buffer, module_t *module, char **message)
{
	*module = NULL;
	*message = NULL;
	return GUARDED(context, parse_ir_in_context(context, buffer, module, message));
}

int kecleon_llvm_run_passes(module_t module, const char *passes, machine_t machine, options_t options, error_t *error)
{
	*error = NULL;
	return GUARDED(get_module_context(module), (*error = run_passes(module, passes, machine, options)) != NULL);
}

int kecleon_llvm_verify_module(module_t module, int action, char **message)
{
	*message = NULL;
	return GUARDED(get_module_context(module), verify_module(module, action, message));
}

int kecleon_llvm_emit_to_memory_buffer(machine_t machine, module_t module, int file_type, char **message, buffer_t *buffer)
{
	*message = NULL;
	*buffer = NULL;
	return GUARDED(get_module_context(module), emit_to_memory_buffer(machine, module, file_type, message, buffer));
}

int kecleon_llvm_link_modules(module_t destination, module_t source)
{
	return GUARDED(get_module_context(destination), link_modules2(destination, source));
}
