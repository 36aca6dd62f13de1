using System.Diagnostics;

namespace Kecleon.Bench.Live;

/// <summary>The helper processes of one run of live traffic (pktio senders and captures): whichever still runs when the
/// run ends, on success or not, is killed with its children.</summary>
internal sealed class HelperProcesses : IDisposable
{
    private readonly List<Process> _processes = [];

    /// <summary>Keeps <paramref name="process"/> for <see cref="Dispose"/> and returns it.</summary>
    public Process Started(Process process)
    {
        _processes.Add(process);
        return process;
    }

    public void Dispose()
    {
        foreach (var process in _processes)
        {
            if (!process.HasExited)
                process.Kill(entireProcessTree: true);
            process.Dispose();
        }
        _processes.Clear();
    }
}
