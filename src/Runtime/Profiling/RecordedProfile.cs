using Kecleon.FrontEnd;
using Kecleon.Instrumentation.Profiles;
using Kecleon.Llvm;

namespace Kecleon.Runtime.Profiling;

/// <summary>A profile read from a file (<c>kecleon profile --out</c>), and whether it was taken on the IR it is for.</summary>
/// <param name="IrHash">The fingerprint of the IR it is used on.</param>
public sealed record RecordedProfile(string Path, Profile Profile, string IrHash)
{
    /// <summary>True when the profile was recorded on other IR: its sites may not be these (the guards and the check keep
    /// the result correct, but its hot keys may not fit).</summary>
    public bool OtherIr => Profile.IrHash.Length > 0 && Profile.IrHash != IrHash;

    public static RecordedProfile Load(string path, ProgramSource source)
    {
        var profile = Profile.Load(path);
        using var context = LlvmContext.Create();
        using var module = source.Parse(context);
        return new RecordedProfile(path, profile, Profile.IrFingerprint(module.ToString()));
    }
}
