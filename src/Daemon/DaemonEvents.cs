using Microsoft.Extensions.Logging;

namespace Kecleon.Daemon;

/// <summary>The daemon's log events: one id per kind, the same in plain and JSON logs (docs/daemon.md, "Logs").</summary>
public static class DaemonEvents
{
    public static readonly EventId Started = new(1, "started");
    public static readonly EventId Stopped = new(2, "stopped");
    public static readonly EventId Opened = new(10, "target_opened");
    public static readonly EventId Profiled = new(11, "profiled");
    public static readonly EventId Unchanged = new(12, "unchanged");
    public static readonly EventId Swapped = new(20, "swap");
    public static readonly EventId Raced = new(21, "check_raced");
    public static readonly EventId RolledBack = new(22, "rollback");
    public static readonly EventId Invalidated = new(30, "invalidated");
    public static readonly EventId Respecialized = new(31, "respecialized");
    public static readonly EventId UpdatedInPlace = new(32, "updated_in_place");
    public static readonly EventId Failed = new(40, "cycle_failed");
    public static readonly EventId FailureDetails = new(41, "failure_details");
    public static readonly EventId RestoreFailed = new(42, "restore_failed");
    public static readonly EventId GuardPolling = new(43, "guard_polling");
    public static readonly EventId StatusSocket = new(50, "status_socket");

    /// <summary>Every event, for the documentation and its test.</summary>
    public static IReadOnlyList<EventId> All { get; } =
        [Started, Stopped, Opened, Profiled, Unchanged, Swapped, Raced, RolledBack, Invalidated, Respecialized, UpdatedInPlace, Failed, FailureDetails, RestoreFailed, GuardPolling, StatusSocket];
}
