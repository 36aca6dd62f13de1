; ModuleID = 'phi_field_merge.c'
source_filename = "phi_field_merge.c"
target datalayout = "e-m:e-p:64:64-i64:64-i128:128-n32:64-S128"
target triple = "bpf"

%struct.anon.1 = type { [1 x i32]*, [16 x i32]*, i32*, %struct.host* }
%struct.host = type { i32, i32, i64, i64 }
%struct.anon.2 = type { [11 x i32]*, [16 x i32]*, [1 x i32]*, %struct.lpm_key*, %struct.route* }
%struct.lpm_key = type { i32, i32 }
%struct.route = type { i64, i32, i32 }
%struct.anon.3 = type { [1 x i32]*, [16 x i32]*, i32*, i64* }
%struct.xdp_md = type { i32, i32, i32, i32, i32, i32 }
%struct.ethhdr = type { [6 x i8], [6 x i8], i16 }

@LICENSE = dso_local global [4 x i8] c"GPL\00", section "license", align 1, !dbg !0
@hosts = dso_local global %struct.anon.1 zeroinitializer, section ".maps", align 8, !dbg !21
@routes = dso_local global %struct.anon.2 zeroinitializer, section ".maps", align 8, !dbg !49
@neighbours = dso_local global %struct.anon.3 zeroinitializer, section ".maps", align 8, !dbg !73
@llvm.compiler.used = appending global [5 x i8*] [i8* getelementptr inbounds ([4 x i8], [4 x i8]* @LICENSE, i32 0, i32 0), i8* bitcast (%struct.anon.1* @hosts to i8*), i8* bitcast (%struct.anon.3* @neighbours to i8*), i8* bitcast (i32 (%struct.xdp_md*)* @phi_field_merge to i8*), i8* bitcast (%struct.anon.2* @routes to i8*)], section "llvm.metadata"

; Function Attrs: nounwind
define dso_local i32 @phi_field_merge(%struct.xdp_md* nocapture noundef readonly %0) #0 section "xdp" !dbg !104 {
  %2 = alloca i32, align 4
  %3 = alloca %struct.lpm_key, align 4
  %4 = alloca i32, align 4
  call void @llvm.dbg.value(metadata %struct.xdp_md* %0, metadata !117, metadata !DIExpression()), !dbg !180
  %5 = getelementptr inbounds %struct.xdp_md, %struct.xdp_md* %0, i64 0, i32 0, !dbg !181
  %6 = load i32, i32* %5, align 4, !dbg !181, !tbaa !182
  %7 = zext i32 %6 to i64, !dbg !187
  call void @llvm.dbg.value(metadata i64 %7, metadata !118, metadata !DIExpression()), !dbg !180
  %8 = getelementptr inbounds %struct.xdp_md, %struct.xdp_md* %0, i64 0, i32 1, !dbg !188
  %9 = load i32, i32* %8, align 4, !dbg !188, !tbaa !189
  %10 = zext i32 %9 to i64, !dbg !190
  %11 = inttoptr i64 %10 to i8*, !dbg !191
  call void @llvm.dbg.value(metadata i8* %11, metadata !119, metadata !DIExpression()), !dbg !180
  %12 = inttoptr i64 %7 to %struct.ethhdr*, !dbg !192
  call void @llvm.dbg.value(metadata %struct.ethhdr* %12, metadata !120, metadata !DIExpression()), !dbg !180
  call void @llvm.dbg.value(metadata %struct.ethhdr* %12, metadata !134, metadata !DIExpression(DW_OP_plus_uconst, 14, DW_OP_stack_value)), !dbg !180
  %13 = getelementptr inbounds %struct.ethhdr, %struct.ethhdr* %12, i64 1, i32 0, i64 20, !dbg !193
  %14 = icmp ugt i8* %13, %11, !dbg !195
  br i1 %14, label %94, label %15, !dbg !196

15:                                               ; preds = %1
  %16 = getelementptr inbounds %struct.ethhdr, %struct.ethhdr* %12, i64 0, i32 2, !dbg !197
  %17 = load i16, i16* %16, align 1, !dbg !197, !tbaa !198
  %18 = icmp eq i16 %17, 8, !dbg !201
  br i1 %18, label %19, label %94, !dbg !202

19:                                               ; preds = %15
  %20 = bitcast i32* %2 to i8*, !dbg !203
  call void @llvm.lifetime.start.p0i8(i64 4, i8* nonnull %20) #4, !dbg !203
  %21 = getelementptr inbounds %struct.ethhdr, %struct.ethhdr* %12, i64 1, i32 0, i64 16, !dbg !204
  %22 = bitcast i8* %21 to i32*, !dbg !204
  %23 = load i32, i32* %22, align 4, !dbg !204, !tbaa !205
  call void @llvm.dbg.value(metadata i32 %23, metadata !164, metadata !DIExpression()), !dbg !180
  store i32 %23, i32* %2, align 4, !dbg !206, !tbaa !207
  call void @llvm.dbg.value(metadata i32* %2, metadata !164, metadata !DIExpression(DW_OP_deref)), !dbg !180
  %24 = call i8* inttoptr (i64 1 to i8* (i8*, i8*)*)(i8* noundef bitcast (%struct.anon.1* @hosts to i8*), i8* noundef nonnull %20) #4, !dbg !208
  call void @llvm.dbg.value(metadata i8* %24, metadata !168, metadata !DIExpression()), !dbg !180
  %25 = icmp eq i8* %24, null, !dbg !209
  br i1 %25, label %26, label %28, !dbg !210

26:                                               ; preds = %19
  %27 = load i32, i32* %2, align 4, !dbg !211, !tbaa !207
  br label %39, !dbg !210

28:                                               ; preds = %19
  %29 = getelementptr inbounds i8, i8* %24, i64 4, !dbg !212
  %30 = bitcast i8* %29 to i32*, !dbg !212
  %31 = load i32, i32* %30, align 4, !dbg !212, !tbaa !213
  %32 = load i32, i32* %2, align 4, !dbg !216, !tbaa !207
  call void @llvm.dbg.value(metadata i32 %32, metadata !164, metadata !DIExpression()), !dbg !180
  %33 = icmp eq i32 %31, %32, !dbg !217
  br i1 %33, label %34, label %39, !dbg !218

34:                                               ; preds = %28
  %35 = bitcast i8* %24 to i32*, !dbg !219
  %36 = load i32, i32* %35, align 8, !dbg !219, !tbaa !221
  call void @llvm.dbg.value(metadata i32 %36, metadata !165, metadata !DIExpression()), !dbg !180
  %37 = getelementptr inbounds i8, i8* %24, i64 8, !dbg !222
  call void @llvm.dbg.value(metadata i8* %37, metadata !166, metadata !DIExpression()), !dbg !180
  %38 = getelementptr inbounds i8, i8* %24, i64 16, !dbg !223
  call void @llvm.dbg.value(metadata i32 %49, metadata !165, metadata !DIExpression()), !dbg !180
  call void @llvm.dbg.value(metadata i8* %44, metadata !166, metadata !DIExpression()), !dbg !180
  call void @llvm.dbg.value(metadata i8* %62, metadata !167, metadata !DIExpression()), !dbg !180
  br label %64, !dbg !224

39:                                               ; preds = %26, %28
  %40 = phi i32 [ %27, %26 ], [ %32, %28 ], !dbg !211
  %41 = bitcast %struct.lpm_key* %3 to i8*, !dbg !226
  call void @llvm.lifetime.start.p0i8(i64 8, i8* nonnull %41) #4, !dbg !226
  call void @llvm.dbg.declare(metadata %struct.lpm_key* %3, metadata !169, metadata !DIExpression()), !dbg !227
  %42 = getelementptr inbounds %struct.lpm_key, %struct.lpm_key* %3, i64 0, i32 0, !dbg !228
  store i32 32, i32* %42, align 4, !dbg !228, !tbaa !229
  %43 = getelementptr inbounds %struct.lpm_key, %struct.lpm_key* %3, i64 0, i32 1, !dbg !228
  call void @llvm.dbg.value(metadata i32 %40, metadata !164, metadata !DIExpression()), !dbg !180
  store i32 %40, i32* %43, align 4, !dbg !228, !tbaa !231
  %44 = call i8* inttoptr (i64 1 to i8* (i8*, i8*)*)(i8* noundef bitcast (%struct.anon.2* @routes to i8*), i8* noundef nonnull %41) #4, !dbg !232
  call void @llvm.dbg.value(metadata i8* %44, metadata !172, metadata !DIExpression()), !dbg !233
  %45 = icmp eq i8* %44, null, !dbg !234
  br i1 %45, label %58, label %46, !dbg !236

46:                                               ; preds = %39
  %47 = getelementptr inbounds i8, i8* %44, i64 8, !dbg !237
  %48 = bitcast i8* %47 to i32*, !dbg !237
  %49 = load i32, i32* %48, align 8, !dbg !237, !tbaa !238
  call void @llvm.dbg.value(metadata i32 %49, metadata !165, metadata !DIExpression()), !dbg !180
  call void @llvm.dbg.value(metadata i8* %44, metadata !166, metadata !DIExpression()), !dbg !180
  call void @llvm.dbg.value(metadata i32* %2, metadata !164, metadata !DIExpression(DW_OP_deref)), !dbg !180
  %50 = call i8* inttoptr (i64 1 to i8* (i8*, i8*)*)(i8* noundef bitcast (%struct.anon.3* @neighbours to i8*), i8* noundef nonnull %20) #4, !dbg !240
  call void @llvm.dbg.value(metadata i8* %50, metadata !167, metadata !DIExpression()), !dbg !180
  %51 = icmp eq i8* %50, null, !dbg !241
  br i1 %51, label %53, label %52, !dbg !242

52:                                               ; preds = %46
  call void @llvm.dbg.value(metadata i32 %49, metadata !165, metadata !DIExpression()), !dbg !180
  call void @llvm.dbg.value(metadata i8* %44, metadata !166, metadata !DIExpression()), !dbg !180
  call void @llvm.dbg.value(metadata i8* %62, metadata !167, metadata !DIExpression()), !dbg !180
  call void @llvm.lifetime.end.p0i8(i64 8, i8* nonnull %41) #4, !dbg !243
  br label %64, !dbg !224

53:                                               ; preds = %46
  %54 = getelementptr inbounds i8, i8* %44, i64 12, !dbg !244
  %55 = bitcast i8* %54 to i32*, !dbg !244
  %56 = load i32, i32* %55, align 4, !dbg !244, !tbaa !246
  %57 = icmp eq i32 %56, 0, !dbg !247
  br i1 %57, label %58, label %60, !dbg !248

58:                                               ; preds = %39, %53
  %59 = phi i32 [ 2, %53 ], [ 1, %39 ]
  call void @llvm.dbg.value(metadata i32 %49, metadata !165, metadata !DIExpression()), !dbg !180
  call void @llvm.dbg.value(metadata i8* %44, metadata !166, metadata !DIExpression()), !dbg !180
  call void @llvm.dbg.value(metadata i8* %62, metadata !167, metadata !DIExpression()), !dbg !180
  call void @llvm.lifetime.end.p0i8(i64 8, i8* nonnull %41) #4, !dbg !243
  br label %92

60:                                               ; preds = %53
  %61 = bitcast i32* %4 to i8*, !dbg !249
  call void @llvm.lifetime.start.p0i8(i64 4, i8* nonnull %61) #4, !dbg !249
  call void @llvm.dbg.value(metadata i32 %56, metadata !173, metadata !DIExpression()), !dbg !250
  store i32 %56, i32* %4, align 4, !dbg !251, !tbaa !207
  call void @llvm.dbg.value(metadata i32* %4, metadata !173, metadata !DIExpression(DW_OP_deref)), !dbg !250
  %62 = call i8* inttoptr (i64 1 to i8* (i8*, i8*)*)(i8* noundef bitcast (%struct.anon.3* @neighbours to i8*), i8* noundef nonnull %61) #4, !dbg !252
  call void @llvm.dbg.value(metadata i8* %62, metadata !167, metadata !DIExpression()), !dbg !180
  call void @llvm.lifetime.end.p0i8(i64 4, i8* nonnull %61) #4, !dbg !253
  call void @llvm.dbg.value(metadata i32 %49, metadata !165, metadata !DIExpression()), !dbg !180
  call void @llvm.dbg.value(metadata i8* %44, metadata !166, metadata !DIExpression()), !dbg !180
  call void @llvm.lifetime.end.p0i8(i64 8, i8* nonnull %41) #4, !dbg !243
  %63 = icmp eq i8* %62, null
  br i1 %63, label %92, label %64, !dbg !224

64:                                               ; preds = %52, %34, %60
  %65 = phi i32 [ %36, %34 ], [ %49, %60 ], [ %49, %52 ]
  %66 = phi i8* [ %37, %34 ], [ %44, %60 ], [ %44, %52 ]
  %67 = phi i8* [ %38, %34 ], [ %62, %60 ], [ %50, %52 ]
  call void @llvm.dbg.value(metadata i8* %62, metadata !167, metadata !DIExpression()), !dbg !180
  call void @llvm.dbg.value(metadata i8* %44, metadata !166, metadata !DIExpression()), !dbg !180
  %68 = inttoptr i64 %7 to i16*, !dbg !254
  call void @llvm.dbg.value(metadata i16* %68, metadata !176, metadata !DIExpression()), !dbg !180
  %69 = bitcast i8* %66 to i16*, !dbg !255
  call void @llvm.dbg.value(metadata i16* %69, metadata !178, metadata !DIExpression()), !dbg !180
  %70 = bitcast i8* %67 to i16*, !dbg !256
  call void @llvm.dbg.value(metadata i16* %70, metadata !179, metadata !DIExpression()), !dbg !180
  %71 = load i16, i16* %70, align 2, !dbg !257, !tbaa !258
  store i16 %71, i16* %68, align 2, !dbg !259, !tbaa !258
  %72 = getelementptr inbounds i8, i8* %67, i64 2, !dbg !260
  %73 = bitcast i8* %72 to i16*, !dbg !260
  %74 = load i16, i16* %73, align 2, !dbg !260, !tbaa !258
  %75 = getelementptr inbounds i16, i16* %68, i64 1, !dbg !261
  store i16 %74, i16* %75, align 2, !dbg !262, !tbaa !258
  %76 = getelementptr inbounds i8, i8* %67, i64 4, !dbg !263
  %77 = bitcast i8* %76 to i16*, !dbg !263
  %78 = load i16, i16* %77, align 2, !dbg !263, !tbaa !258
  %79 = getelementptr inbounds i16, i16* %68, i64 2, !dbg !264
  store i16 %78, i16* %79, align 2, !dbg !265, !tbaa !258
  %80 = load i16, i16* %69, align 2, !dbg !266, !tbaa !258
  %81 = getelementptr inbounds i16, i16* %68, i64 3, !dbg !267
  store i16 %80, i16* %81, align 2, !dbg !268, !tbaa !258
  %82 = getelementptr inbounds i8, i8* %66, i64 2, !dbg !269
  %83 = bitcast i8* %82 to i16*, !dbg !269
  %84 = load i16, i16* %83, align 2, !dbg !269, !tbaa !258
  %85 = getelementptr inbounds i16, i16* %68, i64 4, !dbg !270
  store i16 %84, i16* %85, align 2, !dbg !271, !tbaa !258
  %86 = getelementptr inbounds i8, i8* %66, i64 4, !dbg !272
  %87 = bitcast i8* %86 to i16*, !dbg !272
  %88 = load i16, i16* %87, align 2, !dbg !272, !tbaa !258
  %89 = getelementptr inbounds i16, i16* %68, i64 5, !dbg !273
  store i16 %88, i16* %89, align 2, !dbg !274, !tbaa !258
  %90 = call i64 inttoptr (i64 23 to i64 (i32, i64)*)(i32 noundef %65, i64 noundef 0) #4, !dbg !275
  %91 = trunc i64 %90 to i32, !dbg !275
  br label %92

92:                                               ; preds = %58, %60, %64
  %93 = phi i32 [ %91, %64 ], [ 0, %60 ], [ %59, %58 ]
  call void @llvm.lifetime.end.p0i8(i64 4, i8* nonnull %20) #4, !dbg !276
  br label %94

94:                                               ; preds = %1, %15, %92
  %95 = phi i32 [ %93, %92 ], [ 2, %15 ], [ 2, %1 ], !dbg !180
  ret i32 %95, !dbg !276
}

; Function Attrs: mustprogress nofree nosync nounwind readnone speculatable willreturn
declare void @llvm.dbg.declare(metadata, metadata, metadata) #1

; Function Attrs: argmemonly mustprogress nofree nosync nounwind willreturn
declare void @llvm.lifetime.start.p0i8(i64 immarg, i8* nocapture) #2

; Function Attrs: argmemonly mustprogress nofree nosync nounwind willreturn
declare void @llvm.lifetime.end.p0i8(i64 immarg, i8* nocapture) #2

; Function Attrs: nofree nosync nounwind readnone speculatable willreturn
declare void @llvm.dbg.value(metadata, metadata, metadata) #3

attributes #0 = { nounwind "frame-pointer"="all" "min-legal-vector-width"="0" "no-trapping-math"="true" "stack-protector-buffer-size"="8" }
attributes #1 = { mustprogress nofree nosync nounwind readnone speculatable willreturn }
attributes #2 = { argmemonly mustprogress nofree nosync nounwind willreturn }
attributes #3 = { nofree nosync nounwind readnone speculatable willreturn }
attributes #4 = { nounwind }

!llvm.dbg.cu = !{!2}
!llvm.module.flags = !{!99, !100, !101, !102}
!llvm.ident = !{!103}

!0 = !DIGlobalVariableExpression(var: !1, expr: !DIExpression())
!1 = distinct !DIGlobalVariable(name: "LICENSE", scope: !2, file: !3, line: 9, type: !95, isLocal: false, isDefinition: true)
!2 = distinct !DICompileUnit(language: DW_LANG_C99, file: !3, producer: "Debian clang version 14.0.6", isOptimized: true, runtimeVersion: 0, emissionKind: FullDebug, enums: !4, retainedTypes: !14, globals: !20, splitDebugInlining: false, nameTableKind: None)
!3 = !DIFile(filename: "phi_field_merge.c", directory: ".", checksumkind: CSK_MD5, checksum: "6d032629511fea9ace488aa0fd0fc253")
!4 = !{!5}
!5 = !DICompositeType(tag: DW_TAG_enumeration_type, name: "xdp_action", file: !6, line: 6089, baseType: !7, size: 32, elements: !8)
!6 = !DIFile(filename: "/usr/include/linux/bpf.h", directory: "", checksumkind: CSK_MD5, checksum: "8ab7bf195d20e2851bf1a9e5b71245ca")
!7 = !DIBasicType(name: "unsigned int", size: 32, encoding: DW_ATE_unsigned)
!8 = !{!9, !10, !11, !12, !13}
!9 = !DIEnumerator(name: "XDP_ABORTED", value: 0)
!10 = !DIEnumerator(name: "XDP_DROP", value: 1)
!11 = !DIEnumerator(name: "XDP_PASS", value: 2)
!12 = !DIEnumerator(name: "XDP_TX", value: 3)
!13 = !DIEnumerator(name: "XDP_REDIRECT", value: 4)
!14 = !{!15, !16, !17}
!15 = !DIDerivedType(tag: DW_TAG_pointer_type, baseType: null, size: 64)
!16 = !DIBasicType(name: "long", size: 64, encoding: DW_ATE_signed)
!17 = !DIDerivedType(tag: DW_TAG_typedef, name: "__u16", file: !18, line: 24, baseType: !19)
!18 = !DIFile(filename: "/usr/include/asm-generic/int-ll64.h", directory: "", checksumkind: CSK_MD5, checksum: "b810f270733e106319b67ef512c6246e")
!19 = !DIBasicType(name: "unsigned short", size: 16, encoding: DW_ATE_unsigned)
!20 = !{!0, !21, !49, !73, !82, !90}
!21 = !DIGlobalVariableExpression(var: !22, expr: !DIExpression())
!22 = distinct !DIGlobalVariable(name: "hosts", scope: !2, file: !3, line: 29, type: !23, isLocal: false, isDefinition: true)
!23 = distinct !DICompositeType(tag: DW_TAG_structure_type, file: !3, line: 29, size: 256, elements: !24)
!24 = !{!25, !31, !36, !39}
!25 = !DIDerivedType(tag: DW_TAG_member, name: "type", scope: !23, file: !3, line: 29, baseType: !26, size: 64)
!26 = !DIDerivedType(tag: DW_TAG_pointer_type, baseType: !27, size: 64)
!27 = !DICompositeType(tag: DW_TAG_array_type, baseType: !28, size: 32, elements: !29)
!28 = !DIBasicType(name: "int", size: 32, encoding: DW_ATE_signed)
!29 = !{!30}
!30 = !DISubrange(count: 1)
!31 = !DIDerivedType(tag: DW_TAG_member, name: "max_entries", scope: !23, file: !3, line: 29, baseType: !32, size: 64, offset: 64)
!32 = !DIDerivedType(tag: DW_TAG_pointer_type, baseType: !33, size: 64)
!33 = !DICompositeType(tag: DW_TAG_array_type, baseType: !28, size: 512, elements: !34)
!34 = !{!35}
!35 = !DISubrange(count: 16)
!36 = !DIDerivedType(tag: DW_TAG_member, name: "key", scope: !23, file: !3, line: 29, baseType: !37, size: 64, offset: 128)
!37 = !DIDerivedType(tag: DW_TAG_pointer_type, baseType: !38, size: 64)
!38 = !DIDerivedType(tag: DW_TAG_typedef, name: "__u32", file: !18, line: 27, baseType: !7)
!39 = !DIDerivedType(tag: DW_TAG_member, name: "value", scope: !23, file: !3, line: 29, baseType: !40, size: 64, offset: 192)
!40 = !DIDerivedType(tag: DW_TAG_pointer_type, baseType: !41, size: 64)
!41 = distinct !DICompositeType(tag: DW_TAG_structure_type, name: "host", file: !3, line: 16, size: 192, elements: !42)
!42 = !{!43, !44, !45, !48}
!43 = !DIDerivedType(tag: DW_TAG_member, name: "ifindex", scope: !41, file: !3, line: 17, baseType: !38, size: 32)
!44 = !DIDerivedType(tag: DW_TAG_member, name: "addr", scope: !41, file: !3, line: 18, baseType: !38, size: 32, offset: 32)
!45 = !DIDerivedType(tag: DW_TAG_member, name: "mac", scope: !41, file: !3, line: 19, baseType: !46, size: 64, offset: 64)
!46 = !DIDerivedType(tag: DW_TAG_typedef, name: "__u64", file: !18, line: 31, baseType: !47)
!47 = !DIBasicType(name: "unsigned long long", size: 64, encoding: DW_ATE_unsigned)
!48 = !DIDerivedType(tag: DW_TAG_member, name: "peer_mac", scope: !41, file: !3, line: 20, baseType: !46, size: 64, offset: 128)
!49 = !DIGlobalVariableExpression(var: !50, expr: !DIExpression())
!50 = distinct !DIGlobalVariable(name: "routes", scope: !2, file: !3, line: 31, type: !51, isLocal: false, isDefinition: true)
!51 = distinct !DICompositeType(tag: DW_TAG_structure_type, file: !3, line: 30, size: 320, elements: !52)
!52 = !{!53, !58, !59, !60, !66}
!53 = !DIDerivedType(tag: DW_TAG_member, name: "type", scope: !51, file: !3, line: 30, baseType: !54, size: 64)
!54 = !DIDerivedType(tag: DW_TAG_pointer_type, baseType: !55, size: 64)
!55 = !DICompositeType(tag: DW_TAG_array_type, baseType: !28, size: 352, elements: !56)
!56 = !{!57}
!57 = !DISubrange(count: 11)
!58 = !DIDerivedType(tag: DW_TAG_member, name: "max_entries", scope: !51, file: !3, line: 30, baseType: !32, size: 64, offset: 64)
!59 = !DIDerivedType(tag: DW_TAG_member, name: "map_flags", scope: !51, file: !3, line: 30, baseType: !26, size: 64, offset: 128)
!60 = !DIDerivedType(tag: DW_TAG_member, name: "key", scope: !51, file: !3, line: 31, baseType: !61, size: 64, offset: 192)
!61 = !DIDerivedType(tag: DW_TAG_pointer_type, baseType: !62, size: 64)
!62 = distinct !DICompositeType(tag: DW_TAG_structure_type, name: "lpm_key", file: !3, line: 11, size: 64, elements: !63)
!63 = !{!64, !65}
!64 = !DIDerivedType(tag: DW_TAG_member, name: "prefixlen", scope: !62, file: !3, line: 12, baseType: !38, size: 32)
!65 = !DIDerivedType(tag: DW_TAG_member, name: "addr", scope: !62, file: !3, line: 13, baseType: !38, size: 32, offset: 32)
!66 = !DIDerivedType(tag: DW_TAG_member, name: "value", scope: !51, file: !3, line: 31, baseType: !67, size: 64, offset: 256)
!67 = !DIDerivedType(tag: DW_TAG_pointer_type, baseType: !68, size: 64)
!68 = distinct !DICompositeType(tag: DW_TAG_structure_type, name: "route", file: !3, line: 23, size: 128, elements: !69)
!69 = !{!70, !71, !72}
!70 = !DIDerivedType(tag: DW_TAG_member, name: "mac", scope: !68, file: !3, line: 24, baseType: !46, size: 64)
!71 = !DIDerivedType(tag: DW_TAG_member, name: "ifindex", scope: !68, file: !3, line: 25, baseType: !38, size: 32, offset: 64)
!72 = !DIDerivedType(tag: DW_TAG_member, name: "gateway", scope: !68, file: !3, line: 26, baseType: !38, size: 32, offset: 96)
!73 = !DIGlobalVariableExpression(var: !74, expr: !DIExpression())
!74 = distinct !DIGlobalVariable(name: "neighbours", scope: !2, file: !3, line: 32, type: !75, isLocal: false, isDefinition: true)
!75 = distinct !DICompositeType(tag: DW_TAG_structure_type, file: !3, line: 32, size: 256, elements: !76)
!76 = !{!77, !78, !79, !80}
!77 = !DIDerivedType(tag: DW_TAG_member, name: "type", scope: !75, file: !3, line: 32, baseType: !26, size: 64)
!78 = !DIDerivedType(tag: DW_TAG_member, name: "max_entries", scope: !75, file: !3, line: 32, baseType: !32, size: 64, offset: 64)
!79 = !DIDerivedType(tag: DW_TAG_member, name: "key", scope: !75, file: !3, line: 32, baseType: !37, size: 64, offset: 128)
!80 = !DIDerivedType(tag: DW_TAG_member, name: "value", scope: !75, file: !3, line: 32, baseType: !81, size: 64, offset: 192)
!81 = !DIDerivedType(tag: DW_TAG_pointer_type, baseType: !46, size: 64)
!82 = !DIGlobalVariableExpression(var: !83, expr: !DIExpression())
!83 = distinct !DIGlobalVariable(name: "bpf_map_lookup_elem", scope: !2, file: !84, line: 56, type: !85, isLocal: true, isDefinition: true)
!84 = !DIFile(filename: "/usr/include/bpf/bpf_helper_defs.h", directory: "", checksumkind: CSK_MD5, checksum: "ba0039f6acc4710a5f4349e628ddfb60")
!85 = !DIDerivedType(tag: DW_TAG_pointer_type, baseType: !86, size: 64)
!86 = !DISubroutineType(types: !87)
!87 = !{!15, !15, !88}
!88 = !DIDerivedType(tag: DW_TAG_pointer_type, baseType: !89, size: 64)
!89 = !DIDerivedType(tag: DW_TAG_const_type, baseType: null)
!90 = !DIGlobalVariableExpression(var: !91, expr: !DIExpression())
!91 = distinct !DIGlobalVariable(name: "bpf_redirect", scope: !2, file: !84, line: 619, type: !92, isLocal: true, isDefinition: true)
!92 = !DIDerivedType(tag: DW_TAG_pointer_type, baseType: !93, size: 64)
!93 = !DISubroutineType(types: !94)
!94 = !{!16, !38, !46}
!95 = !DICompositeType(tag: DW_TAG_array_type, baseType: !96, size: 32, elements: !97)
!96 = !DIBasicType(name: "char", size: 8, encoding: DW_ATE_signed_char)
!97 = !{!98}
!98 = !DISubrange(count: 4)
!99 = !{i32 7, !"Dwarf Version", i32 5}
!100 = !{i32 2, !"Debug Info Version", i32 3}
!101 = !{i32 1, !"wchar_size", i32 4}
!102 = !{i32 7, !"frame-pointer", i32 2}
!103 = !{!"Debian clang version 14.0.6"}
!104 = distinct !DISubprogram(name: "phi_field_merge", scope: !3, file: !3, line: 35, type: !105, scopeLine: 36, flags: DIFlagPrototyped | DIFlagAllCallsDescribed, spFlags: DISPFlagDefinition | DISPFlagOptimized, unit: !2, retainedNodes: !116)
!105 = !DISubroutineType(types: !106)
!106 = !{!28, !107}
!107 = !DIDerivedType(tag: DW_TAG_pointer_type, baseType: !108, size: 64)
!108 = distinct !DICompositeType(tag: DW_TAG_structure_type, name: "xdp_md", file: !6, line: 6100, size: 192, elements: !109)
!109 = !{!110, !111, !112, !113, !114, !115}
!110 = !DIDerivedType(tag: DW_TAG_member, name: "data", scope: !108, file: !6, line: 6101, baseType: !38, size: 32)
!111 = !DIDerivedType(tag: DW_TAG_member, name: "data_end", scope: !108, file: !6, line: 6102, baseType: !38, size: 32, offset: 32)
!112 = !DIDerivedType(tag: DW_TAG_member, name: "data_meta", scope: !108, file: !6, line: 6103, baseType: !38, size: 32, offset: 64)
!113 = !DIDerivedType(tag: DW_TAG_member, name: "ingress_ifindex", scope: !108, file: !6, line: 6105, baseType: !38, size: 32, offset: 96)
!114 = !DIDerivedType(tag: DW_TAG_member, name: "rx_queue_index", scope: !108, file: !6, line: 6106, baseType: !38, size: 32, offset: 128)
!115 = !DIDerivedType(tag: DW_TAG_member, name: "egress_ifindex", scope: !108, file: !6, line: 6108, baseType: !38, size: 32, offset: 160)
!116 = !{!117, !118, !119, !120, !134, !164, !165, !166, !167, !168, !169, !172, !173, !176, !178, !179}
!117 = !DILocalVariable(name: "ctx", arg: 1, scope: !104, file: !3, line: 35, type: !107)
!118 = !DILocalVariable(name: "data", scope: !104, file: !3, line: 37, type: !15)
!119 = !DILocalVariable(name: "end", scope: !104, file: !3, line: 37, type: !15)
!120 = !DILocalVariable(name: "eth", scope: !104, file: !3, line: 38, type: !121)
!121 = !DIDerivedType(tag: DW_TAG_pointer_type, baseType: !122, size: 64)
!122 = distinct !DICompositeType(tag: DW_TAG_structure_type, name: "ethhdr", file: !123, line: 173, size: 112, elements: !124)
!123 = !DIFile(filename: "/usr/include/linux/if_ether.h", directory: "", checksumkind: CSK_MD5, checksum: "163f54fb1af2e21fea410f14eb18fa76")
!124 = !{!125, !130, !131}
!125 = !DIDerivedType(tag: DW_TAG_member, name: "h_dest", scope: !122, file: !123, line: 174, baseType: !126, size: 48)
!126 = !DICompositeType(tag: DW_TAG_array_type, baseType: !127, size: 48, elements: !128)
!127 = !DIBasicType(name: "unsigned char", size: 8, encoding: DW_ATE_unsigned_char)
!128 = !{!129}
!129 = !DISubrange(count: 6)
!130 = !DIDerivedType(tag: DW_TAG_member, name: "h_source", scope: !122, file: !123, line: 175, baseType: !126, size: 48, offset: 48)
!131 = !DIDerivedType(tag: DW_TAG_member, name: "h_proto", scope: !122, file: !123, line: 176, baseType: !132, size: 16, offset: 96)
!132 = !DIDerivedType(tag: DW_TAG_typedef, name: "__be16", file: !133, line: 28, baseType: !17)
!133 = !DIFile(filename: "/usr/include/linux/types.h", directory: "", checksumkind: CSK_MD5, checksum: "a82ae197a4533c0fa7d08f3ccc99ef94")
!134 = !DILocalVariable(name: "ip", scope: !104, file: !3, line: 39, type: !135)
!135 = !DIDerivedType(tag: DW_TAG_pointer_type, baseType: !136, size: 64)
!136 = distinct !DICompositeType(tag: DW_TAG_structure_type, name: "iphdr", file: !137, line: 87, size: 160, elements: !138)
!137 = !DIFile(filename: "/usr/include/linux/ip.h", directory: "", checksumkind: CSK_MD5, checksum: "149778ace30a1ff208adc8783fd04b29")
!138 = !{!139, !141, !142, !143, !144, !145, !146, !147, !148, !150}
!139 = !DIDerivedType(tag: DW_TAG_member, name: "ihl", scope: !136, file: !137, line: 89, baseType: !140, size: 4, flags: DIFlagBitField, extraData: i64 0)
!140 = !DIDerivedType(tag: DW_TAG_typedef, name: "__u8", file: !18, line: 21, baseType: !127)
!141 = !DIDerivedType(tag: DW_TAG_member, name: "version", scope: !136, file: !137, line: 90, baseType: !140, size: 4, offset: 4, flags: DIFlagBitField, extraData: i64 0)
!142 = !DIDerivedType(tag: DW_TAG_member, name: "tos", scope: !136, file: !137, line: 97, baseType: !140, size: 8, offset: 8)
!143 = !DIDerivedType(tag: DW_TAG_member, name: "tot_len", scope: !136, file: !137, line: 98, baseType: !132, size: 16, offset: 16)
!144 = !DIDerivedType(tag: DW_TAG_member, name: "id", scope: !136, file: !137, line: 99, baseType: !132, size: 16, offset: 32)
!145 = !DIDerivedType(tag: DW_TAG_member, name: "frag_off", scope: !136, file: !137, line: 100, baseType: !132, size: 16, offset: 48)
!146 = !DIDerivedType(tag: DW_TAG_member, name: "ttl", scope: !136, file: !137, line: 101, baseType: !140, size: 8, offset: 64)
!147 = !DIDerivedType(tag: DW_TAG_member, name: "protocol", scope: !136, file: !137, line: 102, baseType: !140, size: 8, offset: 72)
!148 = !DIDerivedType(tag: DW_TAG_member, name: "check", scope: !136, file: !137, line: 103, baseType: !149, size: 16, offset: 80)
!149 = !DIDerivedType(tag: DW_TAG_typedef, name: "__sum16", file: !133, line: 34, baseType: !17)
!150 = !DIDerivedType(tag: DW_TAG_member, scope: !136, file: !137, line: 104, baseType: !151, size: 64, offset: 96)
!151 = distinct !DICompositeType(tag: DW_TAG_union_type, scope: !136, file: !137, line: 104, size: 64, elements: !152)
!152 = !{!153, !159}
!153 = !DIDerivedType(tag: DW_TAG_member, scope: !151, file: !137, line: 104, baseType: !154, size: 64)
!154 = distinct !DICompositeType(tag: DW_TAG_structure_type, scope: !151, file: !137, line: 104, size: 64, elements: !155)
!155 = !{!156, !158}
!156 = !DIDerivedType(tag: DW_TAG_member, name: "saddr", scope: !154, file: !137, line: 104, baseType: !157, size: 32)
!157 = !DIDerivedType(tag: DW_TAG_typedef, name: "__be32", file: !133, line: 30, baseType: !38)
!158 = !DIDerivedType(tag: DW_TAG_member, name: "daddr", scope: !154, file: !137, line: 104, baseType: !157, size: 32, offset: 32)
!159 = !DIDerivedType(tag: DW_TAG_member, name: "addrs", scope: !151, file: !137, line: 104, baseType: !160, size: 64)
!160 = distinct !DICompositeType(tag: DW_TAG_structure_type, scope: !151, file: !137, line: 104, size: 64, elements: !161)
!161 = !{!162, !163}
!162 = !DIDerivedType(tag: DW_TAG_member, name: "saddr", scope: !160, file: !137, line: 104, baseType: !157, size: 32)
!163 = !DIDerivedType(tag: DW_TAG_member, name: "daddr", scope: !160, file: !137, line: 104, baseType: !157, size: 32, offset: 32)
!164 = !DILocalVariable(name: "daddr", scope: !104, file: !3, line: 42, type: !38)
!165 = !DILocalVariable(name: "out", scope: !104, file: !3, line: 42, type: !38)
!166 = !DILocalVariable(name: "src", scope: !104, file: !3, line: 43, type: !81)
!167 = !DILocalVariable(name: "dst", scope: !104, file: !3, line: 43, type: !81)
!168 = !DILocalVariable(name: "host", scope: !104, file: !3, line: 44, type: !40)
!169 = !DILocalVariable(name: "key", scope: !170, file: !3, line: 50, type: !62)
!170 = distinct !DILexicalBlock(scope: !171, file: !3, line: 49, column: 9)
!171 = distinct !DILexicalBlock(scope: !104, file: !3, line: 45, column: 6)
!172 = !DILocalVariable(name: "route", scope: !170, file: !3, line: 51, type: !67)
!173 = !DILocalVariable(name: "gateway", scope: !174, file: !3, line: 60, type: !38)
!174 = distinct !DILexicalBlock(scope: !175, file: !3, line: 57, column: 13)
!175 = distinct !DILexicalBlock(scope: !170, file: !3, line: 57, column: 7)
!176 = !DILocalVariable(name: "p", scope: !104, file: !3, line: 66, type: !177)
!177 = !DIDerivedType(tag: DW_TAG_pointer_type, baseType: !17, size: 64)
!178 = !DILocalVariable(name: "s", scope: !104, file: !3, line: 66, type: !177)
!179 = !DILocalVariable(name: "d", scope: !104, file: !3, line: 66, type: !177)
!180 = !DILocation(line: 0, scope: !104)
!181 = !DILocation(line: 37, column: 34, scope: !104)
!182 = !{!183, !184, i64 0}
!183 = !{!"xdp_md", !184, i64 0, !184, i64 4, !184, i64 8, !184, i64 12, !184, i64 16, !184, i64 20}
!184 = !{!"int", !185, i64 0}
!185 = !{!"omnipotent char", !186, i64 0}
!186 = !{!"Simple C/C++ TBAA"}
!187 = !DILocation(line: 37, column: 23, scope: !104)
!188 = !DILocation(line: 37, column: 66, scope: !104)
!189 = !{!183, !184, i64 4}
!190 = !DILocation(line: 37, column: 55, scope: !104)
!191 = !DILocation(line: 37, column: 47, scope: !104)
!192 = !DILocation(line: 38, column: 23, scope: !104)
!193 = !DILocation(line: 40, column: 18, scope: !194)
!194 = distinct !DILexicalBlock(scope: !104, file: !3, line: 40, column: 6)
!195 = !DILocation(line: 40, column: 23, scope: !194)
!196 = !DILocation(line: 40, column: 29, scope: !194)
!197 = !DILocation(line: 40, column: 37, scope: !194)
!198 = !{!199, !200, i64 12}
!199 = !{!"ethhdr", !185, i64 0, !185, i64 6, !200, i64 12}
!200 = !{!"short", !185, i64 0}
!201 = !DILocation(line: 40, column: 45, scope: !194)
!202 = !DILocation(line: 40, column: 6, scope: !104)
!203 = !DILocation(line: 42, column: 2, scope: !104)
!204 = !DILocation(line: 42, column: 20, scope: !104)
!205 = !{!185, !185, i64 0}
!206 = !DILocation(line: 42, column: 8, scope: !104)
!207 = !{!184, !184, i64 0}
!208 = !DILocation(line: 44, column: 22, scope: !104)
!209 = !DILocation(line: 45, column: 6, scope: !171)
!210 = !DILocation(line: 45, column: 11, scope: !171)
!211 = !DILocation(line: 50, column: 51, scope: !170)
!212 = !DILocation(line: 45, column: 20, scope: !171)
!213 = !{!214, !184, i64 4}
!214 = !{!"host", !184, i64 0, !184, i64 4, !215, i64 8, !215, i64 16}
!215 = !{!"long long", !185, i64 0}
!216 = !DILocation(line: 45, column: 28, scope: !171)
!217 = !DILocation(line: 45, column: 25, scope: !171)
!218 = !DILocation(line: 45, column: 6, scope: !104)
!219 = !DILocation(line: 46, column: 15, scope: !220)
!220 = distinct !DILexicalBlock(scope: !171, file: !3, line: 45, column: 35)
!221 = !{!214, !184, i64 0}
!222 = !DILocation(line: 47, column: 16, scope: !220)
!223 = !DILocation(line: 48, column: 16, scope: !220)
!224 = !DILocation(line: 64, column: 11, scope: !225)
!225 = distinct !DILexicalBlock(scope: !104, file: !3, line: 64, column: 6)
!226 = !DILocation(line: 50, column: 3, scope: !170)
!227 = !DILocation(line: 50, column: 18, scope: !170)
!228 = !DILocation(line: 50, column: 24, scope: !170)
!229 = !{!230, !184, i64 0}
!230 = !{!"lpm_key", !184, i64 0, !184, i64 4}
!231 = !{!230, !184, i64 4}
!232 = !DILocation(line: 51, column: 25, scope: !170)
!233 = !DILocation(line: 0, scope: !170)
!234 = !DILocation(line: 52, column: 8, scope: !235)
!235 = distinct !DILexicalBlock(scope: !170, file: !3, line: 52, column: 7)
!236 = !DILocation(line: 52, column: 7, scope: !170)
!237 = !DILocation(line: 54, column: 16, scope: !170)
!238 = !{!239, !184, i64 8}
!239 = !{!"route", !215, i64 0, !184, i64 8, !184, i64 12}
!240 = !DILocation(line: 56, column: 9, scope: !170)
!241 = !DILocation(line: 57, column: 8, scope: !175)
!242 = !DILocation(line: 57, column: 7, scope: !170)
!243 = !DILocation(line: 63, column: 2, scope: !171)
!244 = !DILocation(line: 58, column: 16, scope: !245)
!245 = distinct !DILexicalBlock(scope: !174, file: !3, line: 58, column: 8)
!246 = !{!239, !184, i64 12}
!247 = !DILocation(line: 58, column: 9, scope: !245)
!248 = !DILocation(line: 58, column: 8, scope: !174)
!249 = !DILocation(line: 60, column: 4, scope: !174)
!250 = !DILocation(line: 0, scope: !174)
!251 = !DILocation(line: 60, column: 10, scope: !174)
!252 = !DILocation(line: 61, column: 10, scope: !174)
!253 = !DILocation(line: 62, column: 3, scope: !175)
!254 = !DILocation(line: 66, column: 13, scope: !104)
!255 = !DILocation(line: 66, column: 31, scope: !104)
!256 = !DILocation(line: 66, column: 49, scope: !104)
!257 = !DILocation(line: 67, column: 9, scope: !104)
!258 = !{!200, !200, i64 0}
!259 = !DILocation(line: 67, column: 7, scope: !104)
!260 = !DILocation(line: 68, column: 9, scope: !104)
!261 = !DILocation(line: 68, column: 2, scope: !104)
!262 = !DILocation(line: 68, column: 7, scope: !104)
!263 = !DILocation(line: 69, column: 9, scope: !104)
!264 = !DILocation(line: 69, column: 2, scope: !104)
!265 = !DILocation(line: 69, column: 7, scope: !104)
!266 = !DILocation(line: 70, column: 9, scope: !104)
!267 = !DILocation(line: 70, column: 2, scope: !104)
!268 = !DILocation(line: 70, column: 7, scope: !104)
!269 = !DILocation(line: 71, column: 9, scope: !104)
!270 = !DILocation(line: 71, column: 2, scope: !104)
!271 = !DILocation(line: 71, column: 7, scope: !104)
!272 = !DILocation(line: 72, column: 9, scope: !104)
!273 = !DILocation(line: 72, column: 2, scope: !104)
!274 = !DILocation(line: 72, column: 7, scope: !104)
!275 = !DILocation(line: 73, column: 9, scope: !104)
!276 = !DILocation(line: 74, column: 1, scope: !104)
