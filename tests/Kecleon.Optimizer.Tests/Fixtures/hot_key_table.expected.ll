target datalayout = "e-m:e-p:64:64-i64:64-i128:128-n32:64-S128"
target triple = "bpfel"

%struct.anon.1 = type { [1 x i32]*, [65536 x i32]*, i32*, i32* }
%struct.anon = type { [2 x i32]*, [1 x i32]*, i32*, %struct.kecleon_guard_versions* }
%struct.kecleon_guard_versions = type { [256 x i64] }
%struct.anon.0 = type { [3 x i32]*, [8 x i32]*, i32*, i32* }
%struct.xdp_md = type { i32, i32, i32, i32, i32, i32 }
%struct.ethhdr = type { [6 x i8], [6 x i8], i16 }

@LICENSE = dso_local global [4 x i8] c"GPL\00", section "license", align 1
@hosts = dso_local global %struct.anon.1 zeroinitializer, section ".maps", align 8
@kecleon.hot.hosts.0.table = internal constant [1536 x i8] c"\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\02\00\00\00\00\00\00\00\0A\00\00\06\00\00\00\00\01\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\02\00\00\00\00\00\00\00\0A\00\00\07\00\00\00\00\03\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\02\00\00\00\00\00\00\00\0A\00\00\08\00\00\00\00\01\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\02\00\00\00\00\00\00\00\0A\00\00\09\00\00\00\00\03\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\02\00\00\00\00\00\00\00\0A\00\00\0A\00\00\00\00\01\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\02\00\00\00\00\00\00\00\0A\00\00\01\00\00\00\00\03\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\02\00\00\00\00\00\00\00\0A\00\00\02\00\00\00\00\01\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\02\00\00\00\00\00\00\00\0A\00\00\03\00\00\00\00\03\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\02\00\00\00\00\00\00\00\0A\00\00\04\00\00\00\00\01\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\02\00\00\00\00\00\00\00\0A\00\00\05\00\00\00\00\03\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00", section ".rodata", align 8
@kecleon_guards = dso_local global %struct.anon zeroinitializer, section ".maps", align 8
@kecleon_fallback = dso_local global %struct.anon.0 zeroinitializer, section ".maps", align 8
@llvm.compiler.used = appending global [5 x i8*] [i8* getelementptr inbounds ([4 x i8], [4 x i8]* @LICENSE, i32 0, i32 0), i8* bitcast (%struct.anon.1* @hosts to i8*), i8* bitcast (i32 (%struct.xdp_md*)* @hot_key_table to i8*), i8* bitcast (%struct.anon.0* @kecleon_fallback to i8*), i8* bitcast (%struct.anon* @kecleon_guards to i8*)], section "llvm.metadata"

define dso_local i32 @hot_key_table(%struct.xdp_md* nocapture noundef readonly %0) #0 section "xdp" {
kecleon.guard:
  %1 = alloca i32, align 4
  %2 = alloca i32, align 4
  %3 = bitcast i32* %1 to i8*
  call void @llvm.lifetime.start.p0i8(i64 4, i8* nonnull %3) #3
  store i32 0, i32* %1, align 4, !tbaa
  %4 = call i8* inttoptr (i64 1 to i8* (i8*, i8*)*)(i8* noundef bitcast (%struct.anon* @kecleon_guards to i8*), i8* noundef nonnull %3) #3
  call void @llvm.lifetime.end.p0i8(i64 4, i8* nonnull %3) #3
  %.not = icmp eq i8* %4, null
  br i1 %.not, label %kecleon.fallback, label %kecleon.check

5:
  %6 = bitcast %struct.xdp_md* %0 to i32*
  %7 = load i32, i32* %6, align 4, !tbaa
  %8 = zext i32 %7 to i64
  %9 = getelementptr inbounds %struct.xdp_md, %struct.xdp_md* %0, i64 0, i32 1
  %10 = load i32, i32* %9, align 4, !tbaa
  %11 = zext i32 %10 to i64
  %12 = inttoptr i64 %11 to i8*
  %13 = inttoptr i64 %8 to %struct.ethhdr*
  %14 = getelementptr inbounds %struct.ethhdr, %struct.ethhdr* %13, i64 1, i32 0, i64 20
  %15 = icmp ugt i8* %14, %12
  br i1 %15, label %common.ret, label %16

16:
  %17 = inttoptr i64 %8 to %struct.ethhdr*
  %18 = getelementptr inbounds %struct.ethhdr, %struct.ethhdr* %17, i64 0, i32 2
  %19 = load i16, i16* %18, align 1, !tbaa
  %20 = icmp eq i16 %19, 8
  br i1 %20, label %21, label %common.ret

21:
  %22 = inttoptr i64 %8 to %struct.ethhdr*
  %23 = bitcast i32* %2 to i8*
  call void @llvm.lifetime.start.p0i8(i64 4, i8* nonnull %23) #3
  %24 = getelementptr inbounds %struct.ethhdr, %struct.ethhdr* %22, i64 1, i32 0, i64 12
  %25 = bitcast i8* %24 to i32*
  %26 = load i32, i32* %25, align 4, !tbaa
  store i32 %26, i32* %2, align 4, !tbaa
  %27 = zext i32 %26 to i64
  %28 = mul i64 %27, -4548236405452200739
  %29 = lshr i64 %28, 58
  %row.i = mul nuw nsw i64 %29, 3
  %30 = getelementptr i64, i64* bitcast ([1536 x i8]* @kecleon.hot.hosts.0.table to i64*), i64 %row.i
  %state.i = load i64, i64* %30, align 8
  %31 = icmp ne i64 %state.i, 0
  %32 = add nuw nsw i64 %row.i, 1
  %33 = getelementptr i64, i64* bitcast ([1536 x i8]* @kecleon.hot.hosts.0.table to i64*), i64 %32
  %key0.i = load i64, i64* %33, align 8
  %34 = icmp eq i64 %key0.i, %27
  %35 = and i1 %31, %34
  br i1 %35, label %hot.i, label %kernel_lookup.i

kernel_lookup.i:
  %36 = bitcast i32* %2 to i8*
  %value.i = call i8* inttoptr (i64 1 to i8* (i8*, i8*)*)(i8* bitcast (%struct.anon.1* @hosts to i8*), i8* nonnull %36) #3
  %.not2 = icmp eq i8* %value.i, null
  br i1 %.not2, label %kecleon.hot.hosts.0.exit, label %kernel_hit.i

kernel_hit.i:
  %37 = bitcast i8* %value.i to i32*
  %w0.i = load i32, i32* %37, align 4
  %38 = zext i32 %w0.i to i64
  %39 = insertvalue { i1, i64 } { i1 true, i64 undef }, i64 %38, 1
  br label %kecleon.hot.hosts.0.exit

hot.i:
  %found.i = icmp eq i64 %state.i, 2
  %40 = insertvalue { i1, i64 } undef, i1 %found.i, 0
  %41 = add nuw nsw i64 %row.i, 2
  %42 = getelementptr i64, i64* bitcast ([1536 x i8]* @kecleon.hot.hosts.0.table to i64*), i64 %41
  %w01.i = load i64, i64* %42, align 8
  %43 = insertvalue { i1, i64 } %40, i64 %w01.i, 1
  br label %kecleon.hot.hosts.0.exit

kecleon.hot.hosts.0.exit:
  %hot1 = phi { i1, i64 } [ %39, %kernel_hit.i ], [ %43, %hot.i ], [ zeroinitializer, %kernel_lookup.i ]
  %44 = bitcast i32* %2 to i8*
  %found = extractvalue { i1, i64 } %hot1, 0
  %word0 = extractvalue { i1, i64 } %hot1, 1
  %45 = trunc i64 %word0 to i32
  %46 = select i1 %found, i32 %45, i32 2
  call void @llvm.lifetime.end.p0i8(i64 4, i8* nonnull %44) #3
  br label %common.ret

common.ret:
  %common.ret.op = phi i32 [ 0, %kecleon.fallback ], [ %46, %kecleon.hot.hosts.0.exit ], [ 2, %16 ], [ 2, %5 ]
  ret i32 %common.ret.op

kecleon.fallback:
  %47 = bitcast %struct.xdp_md* %0 to i8*
  %48 = call i64 inttoptr (i64 12 to i64 (i8*, i8*, i32)*)(i8* noundef %47, i8* noundef bitcast (%struct.anon.0* @kecleon_fallback to i8*), i32 noundef 0) #3
  br label %common.ret

kecleon.check:
  %49 = getelementptr inbounds i8, i8* %4, i64 56
  %50 = bitcast i8* %49 to i64*
  %51 = load i64, i64* %50, align 8, !tbaa
  %52 = icmp eq i64 %51, 9
  br i1 %52, label %5, label %kecleon.fallback
}

declare void @llvm.lifetime.start.p0i8(i64 immarg, i8* nocapture) #1

declare void @llvm.lifetime.end.p0i8(i64 immarg, i8* nocapture) #1

attributes #0 = { nounwind "frame-pointer"="all" "no-trapping-math"="true" "stack-protector-buffer-size"="8" }
attributes #1 = { argmemonly nofree nosync nounwind willreturn }
attributes #2 = { nofree nosync nounwind readnone speculatable willreturn }
attributes #3 = { nounwind }
