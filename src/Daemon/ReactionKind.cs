using System.Text.Json.Serialization;

namespace Kecleon.Daemon;

/// <summary>How the specialized code was made correct again after a write.</summary>
[JsonConverter(typeof(SnakeCaseEnumConverter<ReactionKind>))]
public enum ReactionKind
{
    /// <summary>The specialized data was rewritten in the inactive buffer and flipped: no recompilation.</summary>
    InPlace,
    /// <summary>A new specialized program was built, checked and swapped in.</summary>
    Rebuild,
    /// <summary>A write the live specialized program made itself, to a map it was specialized on (a rarely written one),
    /// answered in place or by a rebuild: timed apart from the control plane's writes.</summary>
    DataPlane,
}
