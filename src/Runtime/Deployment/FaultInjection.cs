using System.Diagnostics;
using System.Globalization;

namespace Kecleon.Runtime.Deployment;

/// <summary>
/// A test hook for crash safety: every kernel call of a swap transaction (<see cref="Target"/>) is followed by a
/// <see cref="Step"/>. With <c>KECLEON_FAULT_KILL_AT=N</c> in the environment, the process sends itself SIGKILL right
/// after its N-th step: nothing of ours runs after that (no <c>finally</c>, no <c>Dispose</c>), exactly as when an
/// operator or the OOM killer kills it. The tests enumerate N = 1, 2, … until a run finishes, and check after each kill
/// that the hook still gives the original's verdicts and that the next <see cref="Target.Open"/> recovers. Unset (the
/// normal case) a step is one counter increment.
/// </summary>
public static class FaultInjection
{
    public const string KillAtVariable = "KECLEON_FAULT_KILL_AT";

    private static readonly int KillAt =
        int.TryParse(Environment.GetEnvironmentVariable(KillAtVariable), NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : 0;

    private static int _steps;

    /// <summary>The steps this process has passed.</summary>
    public static int Steps => Volatile.Read(ref _steps);

    /// <summary>Marks the end of one kernel call of a transaction; <paramref name="name"/> says which (for the log).</summary>
    public static void Step(string name)
    {
        var step = Interlocked.Increment(ref _steps);
        if (KillAt == 0 || step != KillAt)
            return;
        Console.Error.WriteLine($"kecleon: {KillAtVariable}={KillAt}: killed after step {step} ({name})");
        Console.Error.Flush();
        Process.GetCurrentProcess().Kill(); // SIGKILL
        Thread.Sleep(Timeout.Infinite);
    }
}
