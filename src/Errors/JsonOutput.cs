using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;

namespace Kecleon;

/// <summary>
/// The one style of every <c>--json</c> output (docs/json.md): one top-level object per command with
/// <c>"schema_version"</c> first, snake_case names, enums as snake_case strings, indented, UTF-8 text unescaped.
/// Objects are serialized from source-generated metadata (a <c>JsonSerializerContext</c> per assembly), never by reflection.
/// </summary>
public static class JsonOutput
{
    /// <summary>The version of every command's JSON shape. Adding a field keeps it; renaming or removing one, or changing
    /// its type or meaning, bumps it (and every command's schema says which version it describes).</summary>
    public const int SchemaVersion = 1;

    /// <summary>The writer options of every output: indented, and text (program names, reasons) left as it is.</summary>
    public static readonly JsonWriterOptions Writer = new() { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The serializer options for <see cref="JsonNode"/> trees, in the same style.</summary>
    public static readonly JsonSerializerOptions Nodes = new() { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary><paramref name="value"/> as the command's output text (no trailing newline).</summary>
    public static string Render<T>(T value, JsonTypeInfo<T> type)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, Writer))
            JsonSerializer.Serialize(writer, value, type);
        return System.Text.Encoding.UTF8.GetString(stream.ToArray());
    }

    /// <summary>A JSON tree as the command's output text, with <c>schema_version</c> put first.</summary>
    public static string Render(JsonObject body)
    {
        var root = new JsonObject { ["schema_version"] = SchemaVersion };
        foreach (var (name, value) in body.ToList())
        {
            body.Remove(name);
            root[name] = value;
        }
        return root.ToJsonString(Nodes);
    }
}

/// <summary>An enum as its snake_case name (<c>Optimized</c> → <c>"optimized"</c>), AOT-safe: put it on the enum type
/// (<c>[JsonConverter(typeof(SnakeCaseEnumConverter&lt;TargetState&gt;))]</c>).</summary>
public sealed class SnakeCaseEnumConverter<TEnum>() : System.Text.Json.Serialization.JsonStringEnumConverter<TEnum>(JsonNamingPolicy.SnakeCaseLower, allowIntegerValues: false)
    where TEnum : struct, Enum;
