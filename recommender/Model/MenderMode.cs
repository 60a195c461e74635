using System.Text.Json.Serialization;

namespace Mender.Recommender.Model;

/// <summary>What the encoder reads before the history.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<MenderMode>))]
public enum MenderMode
{
    /// <summary>History only (TIGER).</summary>
    Tiger,

    /// <summary>A preference embedding, then the history (Mender, MenderEmb style).</summary>
    Mender,
}
