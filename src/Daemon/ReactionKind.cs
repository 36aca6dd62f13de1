using System.Text.Json.Serialization;

namespace Kecleon.Daemon;

/// <summary>How the specialized code was made correct again after a control-plane write.</summary>
[JsonConverter(typeof(SnakeCaseEnumConverter<ReactionKind>))]
public enum ReactionKind
{
    /// <summary>The specialized data was rewritten in the inactive buffer and flipped: no recompilation.</summary>
    InPlace,
    /// <summary>A new specialized program was built, checked and swapped in.</summary>
    Rebuild,
}
