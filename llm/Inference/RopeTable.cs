using System.Runtime.InteropServices;

namespace Mender.Llm.Inference;

/// <summary>
/// Rotary position embedding: cos/sin of θ = (pos / scale) · base^(−2i/n_rot) / factor_i for every position of the
/// context and every rotated pair i, computed once in double, then applied in place to the leading n_rot dimensions
/// of each head, pairing dimensions as the architecture's <see cref="RopeStyle"/> says.
/// </summary>
internal sealed unsafe class RopeTable : IDisposable
{
    private readonly int _pairs;
    private readonly RopeStyle _style;
    private float* _table;

    public RopeTable(ModelConfig config, int positions, float[]? frequencyFactors)
    {
        _pairs = config.RopeDimensions / 2;
        _style = config.RopeStyle;
        _table = (float*)NativeMemory.Alloc((nuint)((long)positions * _pairs * 2 * sizeof(float)));
        for (var pos = 0; pos < positions; pos++)
        {
            var row = _table + (long)pos * _pairs * 2;
            for (var i = 0; i < _pairs; i++)
            {
                var theta = pos / (double)config.RopeScale * Math.Pow(config.RopeBase, -2.0 * i / config.RopeDimensions);
                if (frequencyFactors is not null) theta /= frequencyFactors[i];
                row[2 * i] = (float)Math.Cos(theta);
                row[2 * i + 1] = (float)Math.Sin(theta);
            }
        }
    }

    /// <summary>Rotates <paramref name="heads"/> consecutive heads of <paramref name="headDimension"/> elements.</summary>
    public void Apply(float* x, int heads, int headDimension, int position)
    {
        var cs = _table + (long)position * _pairs * 2;
        for (var h = 0; h < heads; h++)
        {
            var head = x + h * headDimension;
            if (_style == RopeStyle.Normal)
            {
                for (var i = 0; i < _pairs; i++)
                {
                    float c = cs[2 * i], s = cs[2 * i + 1];
                    float x0 = head[2 * i], x1 = head[2 * i + 1];
                    head[2 * i] = x0 * c - x1 * s;
                    head[2 * i + 1] = x0 * s + x1 * c;
                }
            }
            else
            {
                for (var i = 0; i < _pairs; i++)
                {
                    float c = cs[2 * i], s = cs[2 * i + 1];
                    float x0 = head[i], x1 = head[i + _pairs];
                    head[i] = x0 * c - x1 * s;
                    head[i + _pairs] = x0 * s + x1 * c;
                }
            }
        }
    }

    public void Dispose()
    {
        NativeMemory.Free(_table);
        _table = null;
    }
}
