// Every built-in layer: #include <xkeras/layers.hpp>
//
// Keras layers xkeras does NOT implement yet (keras_layers_not_implemented() in registry.hpp gives the current
// list; loading a file that uses one says so, naming the layer):
// - sequences and attention: Embedding, the standalone cells (SimpleRNNCell, LSTMCell, GRUCell; RNN reads one of them),
//   StackedRNNCells, CuDNNLSTM, CuDNNGRU, PeepholeLSTMCell, AbstractRNNCell, Bidirectional, TimeDistributed, Masking,
//   ConvLSTM1D/2D/3D, MultiHeadAttention, GroupQueryAttention, Attention, AdditiveAttention, EinsumDense,
//   ReversibleEmbedding;
// - normalization and wrappers: GroupNormalization, RMSNormalization, SpectralNormalization, SyncBatchNormalization,
//   Identity, ActivityRegularization, Wrapper, LocallyConnected1D/2D;
// - preprocessing and augmentation: StringLookup, IntegerLookup, TextVectorization, CategoryEncoding, Hashing,
//   HashedCrossing, Discretization, Resizing, CenterCrop, MelSpectrogram, STFTSpectrogram, Pipeline, AugMix,
//   AutoContrast, CutMix, MixUp, Equalization, Solarization, RandAugment, MaxNumBoundingBoxes and the Random* layers;
// - other frameworks and Keras 1: TFSMLayer, JaxLayer, FlaxLayer, TorchModuleWrapper, DenseFeatures, Merge, Highway,
//   MaxoutDense, TimeDistributedDense, SReLU (Keras 1's AtrousConvolution1D/2D load from Keras 1 files as Conv1D/2D).
#pragma once

#include "xkeras/layers/activation.hpp"
#include "xkeras/layers/activation_layers.hpp"
#include "xkeras/layers/batch_normalization.hpp"
#include "xkeras/layers/conv1d.hpp"
#include "xkeras/layers/conv1d_transpose.hpp"
#include "xkeras/layers/conv2d.hpp"
#include "xkeras/layers/conv2d_transpose.hpp"
#include "xkeras/layers/conv3d.hpp"
#include "xkeras/layers/conv3d_transpose.hpp"
#include "xkeras/layers/cropping.hpp"
#include "xkeras/layers/dense.hpp"
#include "xkeras/layers/depthwise_conv1d.hpp"
#include "xkeras/layers/depthwise_conv2d.hpp"
#include "xkeras/layers/dropout.hpp"
#include "xkeras/layers/embedding.hpp"
#include "xkeras/layers/flatten.hpp"
#include "xkeras/layers/input_layer.hpp"
#include "xkeras/layers/gru.hpp"
#include "xkeras/layers/lambda.hpp"
#include "xkeras/layers/masking.hpp"
#include "xkeras/layers/layer_normalization.hpp"
#include "xkeras/layers/lstm.hpp"
#include "xkeras/layers/merge_functions.hpp"
#include "xkeras/layers/merging.hpp"
#include "xkeras/layers/noise.hpp"
#include "xkeras/layers/normalization.hpp"
#include "xkeras/layers/permute.hpp"
#include "xkeras/layers/pooling.hpp"
#include "xkeras/layers/pooling_nd.hpp"
#include "xkeras/layers/repeat_vector.hpp"
#include "xkeras/layers/rnn.hpp"
#include "xkeras/layers/rescaling.hpp"
#include "xkeras/layers/reshape.hpp"
#include "xkeras/layers/separable_conv1d.hpp"
#include "xkeras/layers/separable_conv2d.hpp"
#include "xkeras/layers/simple_rnn.hpp"
#include "xkeras/layers/spatial_dropout.hpp"
#include "xkeras/layers/time_distributed.hpp"
#include "xkeras/layers/unit_normalization.hpp"
#include "xkeras/layers/up_sampling.hpp"
#include "xkeras/layers/up_sampling2d.hpp"
#include "xkeras/layers/zero_padding.hpp"
#include "xkeras/layers/zero_padding2d.hpp"

