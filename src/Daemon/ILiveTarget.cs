using Kecleon.Bpf;
using Kecleon.FrontEnd;
using Kecleon.Runtime.Deployment;

namespace Kecleon.Daemon;

/// <summary>
/// A data plane the daemon works on: the hook, the original program (with its live maps) and its IR. Implementations
/// swap atomically (a concurrent change of the hook by someone else makes a swap fail rather than overwrite it).
/// </summary>
public interface ILiveTarget : IDisposable
{
    string Hook { get; }
    ProgramSource Source { get; }
    /// <summary>The original program, its maps the live ones.</summary>
    LoadedVariant Original { get; }
    /// <summary>The original's object file (for the differential check's independent copy).</summary>
    byte[] OriginalElf { get; }
    /// <summary>The program the hook runs now, by id (throws when the hook is gone: interface removed, link detached).</summary>
    uint LiveProgramId();
    /// <summary>Puts <paramref name="next"/> on the hook in place of the program there now, atomically.</summary>
    void Swap(BpfProgram next);
    /// <summary>Puts the original back.</summary>
    void Restore();
}
